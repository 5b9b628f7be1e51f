package dev.captioner.training.job;

import java.util.ArrayList;
import java.util.List;

/**
 * One epoch's running loss for a plot, in bounded memory however many batches the epoch has: points at every
 * {@code stride}-th batch, and when they reach the capacity every other one goes and the stride doubles, so the
 * points stay evenly spaced over the batches so far. The latest batch is always the last point.
 */
final class RunningLossSeries {

    static final int CAPACITY = 200;

    private final int capacity;
    private final List<TrainingJobView.LossPoint> kept = new ArrayList<>();
    private int stride = 1;
    private TrainingJobView.LossPoint latest;

    RunningLossSeries() {
        this(CAPACITY);
    }

    /** @param capacity most points {@link #points()} gives, the latest included; even, at least 4 */
    RunningLossSeries(int capacity) {
        if (capacity < 4 || capacity % 2 != 0) {
            throw new IllegalArgumentException("capacity must be even and at least 4: " + capacity);
        }
        this.capacity = capacity;
    }

    /** @param batch 1-based, one more than the last call's */
    void add(int batch, double loss) {
        latest = new TrainingJobView.LossPoint(batch, loss);
        if (batch % stride != 0) {
            return;
        }
        kept.add(latest);
        // one place stays free for the latest batch when it is not on the stride
        if (kept.size() == capacity) {
            stride *= 2;
            int keptStride = stride;
            kept.removeIf(point -> point.batch() % keptStride != 0);
        }
    }

    List<TrainingJobView.LossPoint> points() {
        List<TrainingJobView.LossPoint> points = new ArrayList<>(kept);
        if (latest != null && (points.isEmpty() || points.get(points.size() - 1) != latest)) {
            points.add(latest);
        }
        return List.copyOf(points);
    }
}
