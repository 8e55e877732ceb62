import KeelKernel
