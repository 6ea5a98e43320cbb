public import ModelPlaneCore

/// A pod's effective resource requests, summed the way kube-scheduler sums them (component-helpers `PodRequests`).
///
/// Per container a missing request defaults to its limit (as API defaulting does). App containers add up; each
/// sidecar (an init container with `restartPolicy: Always`) adds to them and to every later init container; a plain
/// init container runs alone (beside the sidecars started before it), so the pod needs the larger of the app total
/// and the largest init step; `spec.overhead` is added last. Amounts are held in thousandths of a unit, exactly.
public struct PodResourceTotals: Sendable, Equatable {
    /// Resource name → thousandths of a unit (millicores for `cpu`, millibytes for `memory`).
    public private(set) var milli: [String: Int64]

    public init(milli: [String: Int64] = [:]) { self.milli = milli }

    /// Whole units of `resource`, rounded up; 0 when not requested.
    public func units(_ resource: String) -> Int64 {
        let amount = milli[resource] ?? 0
        return amount / 1000 + (amount % 1000 > 0 ? 1 : 0)
    }

    /// Sums `pod`'s requests; every bad amount (negative, too large, a request differing from its limit for an
    /// extended resource, a fraction of a device) is reported in `errors` and left out.
    public init(_ pod: KubePod, errors: inout [InputError]) {
        var apps = PodResourceTotals()
        var sidecars = PodResourceTotals()
        var initSteps = PodResourceTotals()
        for container in pod.containers { apps.add(Self.requests(of: container, errors: &errors), errors: &errors) }
        for container in pod.initContainers {
            let requests = Self.requests(of: container, errors: &errors)
            if container.isSidecar {
                apps.add(requests, errors: &errors)
                sidecars.add(requests, errors: &errors)
                initSteps.raise(to: sidecars)
            } else {
                var step = requests
                step.add(sidecars, errors: &errors)
                initSteps.raise(to: step)
            }
        }
        apps.raise(to: initSteps)
        var overhead = PodResourceTotals()
        for (name, quantity) in pod.overhead {
            if let amount = Self.amount(quantity, name, at: "\(pod.key): spec.overhead.\(name)", errors: &errors) { overhead.milli[name] = amount }
        }
        apps.add(overhead, errors: &errors)
        self = apps
    }

    /// One container's effective requests: each request, or its limit where the request is absent.
    static func requests(of container: KubeContainer, errors: inout [InputError]) -> PodResourceTotals {
        var result = PodResourceTotals()
        for name in Set(container.requests.keys).union(container.limits.keys).sorted() {
            let location = "\(container.path).resources.\(container.requests[name] != nil ? "requests" : "limits").\(name)"
            guard let quantity = container.requests[name] ?? container.limits[name],
                let amount = amount(quantity, name, at: location, errors: &errors)
            else { continue }
            if isExtended(name), let limit = container.limits[name], let request = container.requests[name], limit.milliValue != request.milliValue {
                errors.append(
                    InputError(
                        "\(container.path).resources", "\(name) request \(request) differs from its limit \(limit)",
                        expected: "equal request and limit (an extended resource cannot be overcommitted)"))
                continue
            }
            result.milli[name] = amount
        }
        return result
    }

    /// The amount in thousandths, or nil (with the error noted) when negative, too large, or a device fraction.
    static func amount(_ quantity: KubeQuantity, _ name: String, at location: String, errors: inout [InputError]) -> Int64? {
        guard !quantity.isNegative else {
            errors.append(InputError(location, "\(quantity) is negative", expected: "a quantity of 0 or more"))
            return nil
        }
        guard let milli = quantity.milliValue else {
            errors.append(InputError(location, "\(quantity) is too large", expected: "at most 9.2e15 units"))
            return nil
        }
        if isExtended(name), !quantity.isWholeNumber {
            errors.append(
                InputError(location, "\(quantity) is not a whole number", expected: "a whole number of \(name) (devices are not split by quantity)"))
            return nil
        }
        return milli
    }

    /// Extended resources (`nvidia.com/gpu`) are those with a domain other than kubernetes.io.
    static func isExtended(_ name: String) -> Bool {
        guard let slash = name.firstIndex(of: "/") else { return false }
        let domain = name[..<slash]
        return domain != "kubernetes.io" && !domain.hasSuffix(".kubernetes.io") && !name.hasPrefix("requests.")
    }

    mutating func add(_ other: PodResourceTotals, errors: inout [InputError]) {
        for (name, amount) in other.milli {
            let (sum, overflow) = (milli[name] ?? 0).addingReportingOverflow(amount)
            if overflow {
                errors.append(InputError("resources \(name)", "the pod's total overflows", expected: "at most 9.2e15 units"))
            } else {
                milli[name] = sum
            }
        }
    }

    mutating func raise(to other: PodResourceTotals) {
        for (name, amount) in other.milli where amount > (milli[name] ?? 0) { milli[name] = amount }
    }
}
