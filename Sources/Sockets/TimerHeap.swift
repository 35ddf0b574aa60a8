import Timekeeping

/// The loop's pending timers, earliest first, in a binary heap. Cancelled timers stay in the heap and
/// are skipped when they come due, which keeps cancelling O(1).
struct TimerHeap {
    struct Entry {
        var deadline: MonotonicTime
        var id: UInt64
        var action: () -> Void
    }

    private var entries: [Entry] = []
    private var cancelled: Set<UInt64> = []
    private var nextID: UInt64 = 1

    var nextDeadline: MonotonicTime? { entries.first?.deadline }

    mutating func insert(deadline: MonotonicTime, _ action: @escaping () -> Void) -> UInt64 {
        let id = nextID
        nextID += 1
        entries.append(Entry(deadline: deadline, id: id, action: action))
        siftUp(entries.count - 1)
        return id
    }

    mutating func cancel(_ id: UInt64) {
        if entries.contains(where: { $0.id == id }) { cancelled.insert(id) }
    }

    /// Removes and returns the actions due at `now`.
    mutating func popDue(now: MonotonicTime) -> [() -> Void] {
        var due: [() -> Void] = []
        while let first = entries.first, first.deadline <= now {
            let entry = removeFirst()
            if cancelled.remove(entry.id) == nil { due.append(entry.action) }
        }
        return due
    }

    private mutating func removeFirst() -> Entry {
        let first = entries[0]
        let last = entries.removeLast()
        if !entries.isEmpty {
            entries[0] = last
            siftDown(0)
        }
        return first
    }

    private mutating func siftUp(_ index: Int) {
        var child = index
        while child > 0 {
            let parent = (child - 1) / 2
            guard entries[child].deadline < entries[parent].deadline else { return }
            entries.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ index: Int) {
        var parent = index
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var smallest = parent
            if left < entries.count && entries[left].deadline < entries[smallest].deadline { smallest = left }
            if right < entries.count && entries[right].deadline < entries[smallest].deadline { smallest = right }
            guard smallest != parent else { return }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
