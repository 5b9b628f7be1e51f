package dev.captioner.spark;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** A job run in this JVM on {@code local[2]}: its exit code and what it printed. */
record JobRun(int exitCode, String out, String err) {

    static JobRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SparkCaptioner.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new JobRun(code, out.toString(), err.toString());
    }

    /** The counts line every job ends with. */
    String lastLine() {
        List<String> lines = out.lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
}
