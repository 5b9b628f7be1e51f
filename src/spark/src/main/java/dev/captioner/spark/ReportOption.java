package dev.captioner.spark;

import java.io.IOException;

import dev.captioner.config.JsonFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Option;

/** {@code --report}: a job's counts and every skipped image with its reason, as JSON. */
final class ReportOption {

    @Option(names = "--report", paramLabel = "URI", description = "write the counts and every skipped image with "
            + "its reason as JSON")
    String report;

    /** Writes the report, aside and renamed, when one was asked for. */
    void write(JobCounts counts, Configuration configuration) throws IOException {
        if (report != null) {
            Path path = new Path(report);
            HadoopFiles.writeAside(HadoopFiles.of(path, configuration), path,
                    JsonFiles.MAPPER.writeValueAsBytes(counts.report()), true);
        }
    }
}
