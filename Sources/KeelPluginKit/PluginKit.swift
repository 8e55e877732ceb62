import KeelABI
