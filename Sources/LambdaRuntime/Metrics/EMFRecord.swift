import JSON
import Timekeeping

/// One metric of an Embedded Metric Format object: a name and a value in one of the two units
/// Swiftlet reports.
package struct EMFMetric: Sendable, Equatable {
    package enum Value: Sendable, Equatable {
        case milliseconds(Duration)
        case count(Int)
    }

    package var name: String
    package var value: Value

    package init(_ name: String, _ value: Value) {
        self.name = name
        self.value = value
    }
}

/// One CloudWatch Embedded Metric Format object, as one line of JSON: CloudWatch Logs extracts
/// the metrics from the log event itself, so publishing them costs no call from the function
/// ("Specification: Embedded metric format", CloudWatch User Guide). The layout the
/// specification asks for:
/// - `_aws.Timestamp`: milliseconds since the epoch;
/// - `_aws.CloudWatchMetrics`: one directive with the `Namespace`, one dimension set naming the
///   `Dimensions`, and each metric's `Name` and `Unit`;
/// - a root member for each dimension (a string) and for each metric (a number); other root
///   members are properties, searchable in Logs Insights but not metrics.
package struct EMFRecord: Sendable {
    package var namespace: String
    package var dimensions: [(name: String, value: String)]
    package var metrics: [EMFMetric]
    package var properties: [(name: String, value: String)]
    package var timestampMilliseconds: Int64

    package init(namespace: String, dimensions: [(name: String, value: String)], metrics: [EMFMetric],
                properties: [(name: String, value: String)] = [], timestampMilliseconds: Int64) {
        self.namespace = namespace
        self.dimensions = dimensions
        self.metrics = metrics
        self.properties = properties
        self.timestampMilliseconds = timestampMilliseconds
    }

    /// The object and its newline: a single JSON line, which both of Lambda's log formats pass
    /// on as one log event.
    package func line() -> [UInt8] {
        var writer = JSONWriter(capacity: 640)
        writer.beginObject()
        writer.key("_aws")
        writer.beginObject()
        writer.key("Timestamp")
        writer.number(Int(timestampMilliseconds))
        writer.key("CloudWatchMetrics")
        writer.beginArray()
        writer.beginObject()
        writer.key("Namespace")
        writer.string(namespace)
        writer.key("Dimensions")
        writer.beginArray()
        writer.beginArray()
        for dimension in dimensions { writer.string(dimension.name) }
        writer.endArray()
        writer.endArray()
        writer.key("Metrics")
        writer.beginArray()
        for metric in metrics {
            writer.beginObject()
            writer.key("Name")
            writer.string(metric.name)
            writer.key("Unit")
            switch metric.value {
            case .milliseconds: writer.string("Milliseconds")
            case .count: writer.string("Count")
            }
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
        writer.endArray()
        writer.endObject()
        for dimension in dimensions {
            writer.key(dimension.name)
            writer.string(dimension.value)
        }
        for metric in metrics {
            writer.key(metric.name)
            switch metric.value {
            case .milliseconds(let duration):
                writer.number(thousandths: Int(duration.microseconds))
            case .count(let count):
                writer.number(count)
            }
        }
        for property in properties {
            writer.key(property.name)
            writer.string(property.value)
        }
        writer.endObject()
        var bytes = writer.bytes
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }
}
