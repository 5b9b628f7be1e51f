package dev.captioner.spark;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a job did with its images, for its last lines and its report: done, reused, and skipped with reasons. */
final class JobCounts {

    /** An image left out, and why. */
    record Skip(String uri, String kind, String reason) {
    }

    private final String job;
    private final String doneWord;
    private int images;
    private int done;
    private int reused;
    private final List<Skip> skipped = new ArrayList<>();

    JobCounts(String job, String doneWord) {
        this.job = job;
        this.doneWord = doneWord;
    }

    void done() {
        images++;
        done++;
    }

    void reused() {
        images++;
        reused++;
    }

    void skipped(String uri, String kind, String reason) {
        images++;
        skipped.add(new Skip(uri, kind, reason));
    }

    int images() {
        return images;
    }

    int doneCount() {
        return done;
    }

    int reusedCount() {
        return reused;
    }

    List<Skip> skippedImages() {
        return List.copyOf(skipped);
    }

    Map<String, Integer> skippedByKind() {
        Map<String, Integer> byKind = new TreeMap<>();
        skipped.forEach(skip -> byKind.merge(skip.kind(), 1, Integer::sum));
        return byKind;
    }

    /** For a report file: the counts and every skipped image with its reason. */
    Map<String, Object> report() {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("images", images);
        report.put(doneWord, done);
        report.put("reused", reused);
        report.put("skipped", skipped.size());
        report.put("skippedByKind", skippedByKind());
        report.put("skippedImages", skipped);
        return report;
    }

    /** A line per skipped image (the first 20), then the counts: always the last line. */
    void print(PrintWriter out) {
        skipped.stream().limit(20).forEach(skip -> out.println("skipped " + skip.uri() + ": " + skip.reason()));
        if (skipped.size() > 20) {
            out.println("... and " + (skipped.size() - 20) + " more skipped (--report FILE lists them all)");
        }
        StringBuilder line = new StringBuilder(job + ": images=" + images + " " + doneWord + "=" + done);
        if (reused > 0 || "encoded".equals(doneWord)) {
            line.append(" reused=").append(reused);
        }
        line.append(" skipped=").append(skipped.size());
        skippedByKind().forEach((kind, count) -> line.append(" [").append(count).append(' ').append(kind).append(']'));
        out.println(line);
        out.flush();
    }
}
