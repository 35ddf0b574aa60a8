/// The IMF-fixdate form of HTTP dates (RFC 9110 §5.6.7), `Sun, 06 Nov 1994 08:49:37 GMT`, computed
/// from Unix time with the civil-from-days algorithm: no Foundation, no locale, no allocation beyond
/// the result.
public enum HTTPDate {
    private static let weekdays = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Formats `secondsSince1970` (UTC).
    public static func format(secondsSince1970 seconds: Int) -> String {
        let (year, month, day, secondOfDay, days) = civil(seconds)
        let weekday = weekdays[((days % 7) + 7) % 7]
        return "\(weekday), \(pad(day)) \(months[month - 1]) \(year) \(pad(secondOfDay / 3600)):\(pad(secondOfDay / 60 % 60)):\(pad(secondOfDay % 60)) GMT"
    }

    /// ISO 8601 in UTC with milliseconds (`2026-12-02T14:05:09.123Z`), the form of log timestamps.
    public static func iso8601(millisecondsSince1970 milliseconds: Int64) -> String {
        let seconds = Int(milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000)
        let millis = Int(milliseconds - Int64(seconds) * 1000)
        let (year, month, day, secondOfDay, _) = civil(seconds)
        let fraction = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(year)-\(pad(month))-\(pad(day))T\(pad(secondOfDay / 3600)):\(pad(secondOfDay / 60 % 60)):\(pad(secondOfDay % 60)).\(fraction)Z"
    }

    /// ISO 8601 basic format in UTC (`20150830T123600Z`), the form of SigV4's `X-Amz-Date`.
    public static func iso8601Basic(secondsSince1970 seconds: Int) -> String {
        let (year, month, day, secondOfDay, _) = civil(seconds)
        return "\(year)\(pad(month))\(pad(day))T\(pad(secondOfDay / 3600))\(pad(secondOfDay / 60 % 60))\(pad(secondOfDay % 60))Z"
    }

    /// Year, month, day, second of the day and days since 1970 (Howard Hinnant's civil_from_days).
    private static func civil(_ seconds: Int) -> (year: Int, month: Int, day: Int, secondOfDay: Int, days: Int) {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, secondOfDay, days)
    }

    private static func pad(_ value: Int) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
