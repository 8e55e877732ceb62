// Plugin authors import only KeelPluginKit: the value types of the interfaces come with it.
@_exported import KeelCore
