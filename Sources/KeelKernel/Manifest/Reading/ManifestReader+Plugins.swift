extension ManifestReader {
    static let slotKeys = ["plugin", "version", "config"]
    /// The kinds in the order the manifest reference lists them.
    static let kindNames = ["execution", "sequencer", "da", "proof", "bridge", "gpu"]

    /// The `plugins:` section: one slot per kind, `gpu` optional, `da` one slot or a failover list.
    mutating func readPlugins(_ value: YAMLValue) -> ManifestPlugins? {
        guard let fields = fields(of: value, path: "plugins", known: ManifestReader.kindNames) else { return nil }
        func single(_ kind: PluginKind) -> PluginSlot? {
            required(kind.description, in: fields).flatMap { slot($0, kind: kind, path: "plugins.\(kind)") }
        }
        let execution = single(.execution)
        let sequencer = single(.sequencer)
        let proof = single(.proof)
        let bridge = single(.bridge)
        var gpuValid = true
        var gpu: PluginSlot?
        if let gpuValue = fields["gpu"] {
            gpu = slot(gpuValue, kind: .gpu, path: "plugins.gpu")
            gpuValid = gpu != nil
        }
        let da = required("da", in: fields).flatMap { daSlots($0, path: "plugins.da") }
        guard let execution, let sequencer, let proof, let bridge, let da, gpuValid else { return nil }
        return ManifestPlugins(execution: execution, sequencer: sequencer, proof: proof, bridge: bridge,
                               gpu: gpu, da: da)
    }

    /// One slot, or a non-empty list of slots in failover order.
    mutating func daSlots(_ value: YAMLValue, path: String) -> [PluginSlot]? {
        guard let items = value.items else {
            if value.entries != nil { return slot(value, kind: .da, path: path).map { [$0] } }
            wrongType(value, path: path, expected: "a slot `{ plugin: NAME }` or a list of slots (primary first)")
            return nil
        }
        guard !items.isEmpty else {
            error(at: value.location, "`\(path)` lists no DA plugin; name at least one")
            return nil
        }
        let slots = items.enumerated().map { index, item in slot(item, kind: .da, path: "\(path)[\(index)]") }
        let found = slots.compactMap { $0 }
        return found.count == slots.count ? found : nil
    }

    /// `{ plugin: NAME, version: CONSTRAINT?, config: { … }? }`.
    mutating func slot(_ value: YAMLValue, kind: PluginKind, path: String) -> PluginSlot? {
        guard let fields = fields(of: value, path: path, known: ManifestReader.slotKeys,
                                  expected: "a slot `{ plugin: NAME }`") else { return nil }
        var valid = true
        var name: String?
        if let nameValue = required("plugin", in: fields) {
            name = pluginName(nameValue, path: fields.path("plugin"))
        }
        var constraint: VersionConstraint?
        let versionValue = fields["version"]
        if let versionValue {
            constraint = versionConstraint(versionValue, path: fields.path("version"))
            valid = valid && constraint != nil
        }
        var configJSON = "{}"
        let configEntry = fields.entries["config"]
        var configTree: YAMLValue?
        if let configValue = configEntry?.value, !(configValue.scalar.map { $0.coreValue == .null } ?? false) {
            if configValue.entries == nil {
                wrongType(configValue, path: fields.path("config"), expected: "a mapping (the plugin's settings)")
                valid = false
            } else {
                configTree = configValue
                switch configValue.jsonText(describedAs: fields.path("config"), pathsRelativeTo: directory) {
                case .success(let json): configJSON = json
                case .failure(let problems):
                    report(problems.diagnostics)
                    valid = false
                }
            }
        }
        guard valid, let name, let nameValue = fields["plugin"] else { return nil }
        return PluginSlot(kind: kind, plugin: name, version: constraint, configJSON: configJSON,
                          location: value.location, pluginLocation: nameValue.location,
                          versionLocation: versionValue?.location, path: path,
                          configKeyLocation: configEntry?.key.location, config: configTree)
    }

    /// A plugin name as the ABI allows it: lowercase letters, digits and `-`.
    private mutating func pluginName(_ value: YAMLValue, path: String) -> String? {
        guard let name = nonEmptyText(value, path: path) else { return nil }
        let allowed = name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
        guard allowed else {
            error(at: value.location, "`\(path)` is `\(ManifestText.abbreviated(name))`; plugin names are lowercase "
                  + "letters, digits and `-` (e.g. `sqlite`)")
            return nil
        }
        return name
    }

    private mutating func versionConstraint(_ value: YAMLValue, path: String) -> VersionConstraint? {
        guard let text = text(value, path: path, expected: "a version constraint") else { return nil }
        do {
            return try VersionConstraint(text)
        } catch {
            self.error(at: value.location, "`\(path)` is not a valid version constraint: \(error.reason)")
            return nil
        }
    }

    /// `upgrades:`: a list of `{ at_height: N, <kind>: slot, … }` by strictly increasing height.
    mutating func readUpgrades(_ value: YAMLValue?) -> [ManifestUpgrade]? {
        guard let value else { return [] }
        guard let items = value.items else {
            wrongType(value, path: "upgrades", expected: "a list of `{ at_height: N, <kind>: { plugin: NAME } }`")
            return nil
        }
        var upgrades: [ManifestUpgrade] = []
        var valid = true
        var previous: (height: UInt64, location: SourceLocation)?
        for (index, item) in items.enumerated() {
            let path = "upgrades[\(index)]"
            guard let fields = fields(of: item, path: path, known: ["at_height"] + ManifestReader.kindNames) else {
                valid = false
                continue
            }
            let heightValue = required("at_height", in: fields)
            let height = heightValue.flatMap { integer($0, path: "\(path).at_height", in: UInt64(1)...UInt64.max) }
            var slots: [PluginSlot] = []
            var slotsValid = true
            for kindName in ManifestReader.kindNames {
                guard let slotValue = fields[kindName], let kind = PluginKind(name: kindName) else { continue }
                let found = kind == .da
                    ? daSlots(slotValue, path: "\(path).da")
                    : slot(slotValue, kind: kind, path: "\(path).\(kindName)").map { [$0] }
                if let found { slots += found } else { slotsValid = false }
            }
            if fields.entries.count == (heightValue == nil ? 0 : 1) {
                error(at: item.location, "`\(path)` replaces no plugin; add a slot such as `proof: { plugin: NAME }`")
                slotsValid = false
            }
            guard let height, let heightValue, slotsValid else {
                valid = false
                continue
            }
            if let previous, height <= previous.height {
                error(at: heightValue.location, "`\(path).at_height` is \(height), but upgrades must come in strictly "
                      + "increasing height order and the one before is at \(previous.height) (line \(previous.location.line))")
                valid = false
            }
            previous = (height, heightValue.location)
            upgrades.append(ManifestUpgrade(atHeight: height, slots: slots, location: item.location,
                                            heightLocation: heightValue.location))
        }
        return valid ? upgrades : nil
    }
}
