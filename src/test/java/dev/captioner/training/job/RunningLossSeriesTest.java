package dev.captioner.training.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class RunningLossSeriesTest {

    @Test
    void keepsEveryBatchUntilTheCapacity() {
        RunningLossSeries series = new RunningLossSeries(8);
        for (int batch = 1; batch <= 7; batch++) {
            series.add(batch, 10.0 / batch);
        }
        assertThat(series.points()).extracting(TrainingJobView.LossPoint::batch).containsExactly(1, 2, 3, 4, 5, 6, 7);
        assertThat(series.points().get(3).loss()).isEqualTo(2.5);
    }

    @Test
    void halvesEvenlyWhenFullAndAlwaysEndsAtTheLatestBatch() {
        RunningLossSeries series = new RunningLossSeries(8);
        for (int batch = 1; batch <= 8; batch++) {
            series.add(batch, batch);
        }
        assertThat(series.points()).extracting(TrainingJobView.LossPoint::batch).containsExactly(2, 4, 6, 8);
        series.add(9, 9);
        assertThat(series.points()).extracting(TrainingJobView.LossPoint::batch).containsExactly(2, 4, 6, 8, 9);
        for (int batch = 10; batch <= 17; batch++) {
            series.add(batch, batch);
        }
        assertThat(series.points()).extracting(TrainingJobView.LossPoint::batch).containsExactly(4, 8, 12, 16, 17);
    }

    /** A COCO epoch of 4,140 batches, and ten times that: never more than the capacity, spread over the whole epoch. */
    @Test
    void staysBoundedAndEvenOverLongEpochs() {
        for (int batches : new int[] {4_140, 41_400}) {
            RunningLossSeries series = new RunningLossSeries();
            for (int batch = 1; batch <= batches; batch++) {
                series.add(batch, 1.0 / batch);
                assertThat(series.points().size()).isLessThanOrEqualTo(RunningLossSeries.CAPACITY);
            }
            List<TrainingJobView.LossPoint> points = series.points();
            assertThat(points.size()).isGreaterThanOrEqualTo(RunningLossSeries.CAPACITY / 2);
            assertThat(points.get(points.size() - 1)).isEqualTo(new TrainingJobView.LossPoint(batches, 1.0 / batches));
            int gap = points.get(1).batch() - points.get(0).batch();
            assertThat(points.get(0).batch()).isEqualTo(gap);
            for (int i = 1; i < points.size() - 1; i++) {
                assertThat(points.get(i).batch() - points.get(i - 1).batch()).isEqualTo(gap);
            }
            assertThat(batches - points.get(points.size() - 2).batch()).isBetween(1, gap);
        }
    }

    @Test
    void refusesACapacityItCannotHalve() {
        assertThatThrownBy(() -> new RunningLossSeries(7)).isInstanceOf(IllegalArgumentException.class);
    }
}
