import Foundation
import KeelABI
import KeelCore
import Synchronization

/// One instance's `keel_host`: the C table and the strings it points at, alive as long as the instance.
final class PluginHost: @unchecked Sendable {
    // @unchecked: the C struct is written once in init and only read afterwards.
    let services: HostServices
    let pluginLabel: String
    let metricPrefix: String
    let table: UnsafeMutablePointer<keel_host>
    private let dataDirectory: UnsafeMutablePointer<CChar>

    init(services: HostServices, kind: PluginKind, name: String) {
        self.services = services
        self.pluginLabel = "\(kind) \(name)"
        self.metricPrefix = "keel_plugin_\(kind)_\(name.replacingOccurrences(of: "-", with: "_"))_"
        self.dataDirectory = strdup(services.dataDirectory)
        self.table = .allocate(capacity: 1)
        table.initialize(to: keel_host(
            struct_size: UInt32(MemoryLayout<keel_host>.size),
            context: nil,
            log: { context, level, message in
                guard let host = PluginHost.from(context), let message else { return }
                host.services.sink(PluginLogLevel(rawValue: level.rawValue) ?? .info, host.pluginLabel, String(cString: message))
            },
            counter_add: { context, name, delta in
                guard let host = PluginHost.from(context), let name else { return }
                let key = host.metricPrefix + String(cString: name)
                host.services.metrics.withLock { $0.counters[key, default: 0] &+= delta }
            },
            gauge_set: { context, name, value in
                guard let host = PluginHost.from(context), let name else { return }
                let key = host.metricPrefix + String(cString: name)
                host.services.metrics.withLock { $0.gauges[key] = value }
            },
            timer_record: { context, name, seconds in
                guard let host = PluginHost.from(context), let name else { return }
                let key = host.metricPrefix + String(cString: name)
                host.services.metrics.withLock {
                    let old = $0.timers[key] ?? (0, 0)
                    $0.timers[key] = (old.count + 1, old.sum + seconds)
                }
            },
            now_unix_ms: { _ in UInt64(Date().timeIntervalSince1970 * 1000) },
            monotonic_ns: { _ in DispatchTime.now().uptimeNanoseconds },
            data_dir: UnsafePointer(dataDirectory),
            chain_id: services.chainID,
            flag_active: { context, name, height in
                guard let host = PluginHost.from(context), let name, let flags = host.services.flags else { return 0 }
                return flags.isActive(String(cString: name), atHeight: height) ? 1 : 0
            },
            flag_enabled: { context, name, subject in
                guard let host = PluginHost.from(context), let name, let flags = host.services.flags else { return 0 }
                let bytes = UnsafeRawBufferPointer(start: subject.ptr, count: subject.ptr == nil ? 0 : subject.len)
                return flags.isEnabled(String(cString: name), subject: bytes) ? 1 : 0
            },
            keccak256: { _, data, out in
                guard let out else { return }
                var hasher = Keccak256.Hasher()
                hasher.absorb(UnsafeRawBufferPointer(start: data.ptr, count: data.ptr == nil ? 0 : data.len))
                let digest = hasher.finish().bytes
                digest.withUnsafeBufferPointer { out.update(from: $0.baseAddress!, count: 32) }
            },
            execute_step: { context, request, response, failure in
                guard let host = PluginHost.from(context), let runner = host.services.stepRunner.withLock({ $0 }) else {
                    return keel_error_set(failure, Int32(KEEL_ERR_UNSUPPORTED), "this host runs no fault-proof steps (a tool, or a node not yet started)")
                }
                do throws(StepRunnerError) {
                    let answer = try runner(request.array)
                    response?.pointee = .owning(answer)
                    return keel_status(KEEL_OK)
                } catch {
                    let code = switch error.kind {
                    case .rejected: KEEL_ERR_REJECTED
                    case .unsupported: KEEL_ERR_UNSUPPORTED
                    case .invalidArgument: KEEL_ERR_INVALID_ARGUMENT
                    }
                    return keel_error_set(failure, Int32(code), error.message)
                }
            }))
        table.pointee.context = Unmanaged.passUnretained(self).toOpaque()
    }

    static func from(_ context: UnsafeMutableRawPointer?) -> PluginHost? {
        context.map { Unmanaged<PluginHost>.fromOpaque($0).takeUnretainedValue() }
    }

    deinit {
        table.deinitialize(count: 1)
        table.deallocate()
        free(dataDirectory)
    }
}
