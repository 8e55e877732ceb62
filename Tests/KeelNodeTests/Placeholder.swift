import Testing
@testable import KeelNode
