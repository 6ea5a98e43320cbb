import ModelPlaneCore

/// Names in annotations checked against the model and hardware catalogs.
extension PodProfiler {
    func resolveModel(_ text: String, at location: String) throws(InputError) -> ModelSpec {
        let name = text.trimmingJSONWhitespace()
        do {
            return try models.resolve(name)
        } catch {
            throw InputError(location, "\"\(name)\" is not a catalog model", expected: error.expected)
        }
    }

    func weightFormat(_ text: String, at location: String) throws(InputError) -> WeightFormat {
        do {
            return try WeightFormat(name: text)
        } catch {
            throw InputError(location, "\"\(text)\" is not a known precision", expected: error.expected)
        }
    }

    /// Catalog ids of a comma-separated list of GPU names (catalog ids, aliases or names systems report).
    func gpuTypeIDs(_ text: String, at location: String) throws(InputError) -> [String] {
        var ids: [String] = []
        for name in try AnnotationValues.names(text, at: location, what: "GPU types") {
            let resolved: ResolvedGPU
            do {
                resolved = try hardware.resolve(name)
            } catch {
                throw InputError(location, "\"\(name)\" is not a known GPU", expected: error.expected)
            }
            if resolved.mig != nil {
                throw InputError(
                    location, "\"\(name)\" names a MIG profile", expected: "a GPU type, with \(PodAnnotation.migProfile.rawValue) for the profile")
            }
            if !ids.contains(resolved.model.id) { ids.append(resolved.model.id) }
        }
        return ids
    }

    /// The catalog's spelling of a MIG profile name, which must be a profile of one of `gpuTypes` (of any GPU when
    /// none are named).
    func canonicalMIGProfile(_ name: String, among gpuTypes: [String], at location: String) throws(InputError) -> String {
        let devices = gpuTypes.isEmpty ? hardware.models : hardware.models.filter { gpuTypes.contains($0.id) }
        for device in devices {
            if let profile = try? device.migProfile(named: name) { return profile.name }
        }
        var known: [String] = []
        for profile in devices.flatMap(\.migProfiles) where !known.contains(profile.name) { known.append(profile.name) }
        let scope = gpuTypes.isEmpty ? "any catalog GPU" : gpuTypes.joined(separator: ", ")
        throw InputError(
            location, "\"\(name)\" is not a MIG profile of \(scope)",
            expected: known.isEmpty ? "a GPU type with MIG" : "one of \(known.joined(separator: ", "))")
    }
}
