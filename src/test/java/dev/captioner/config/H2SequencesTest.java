package dev.captioner.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * The job repository's ids stay consecutive across a crash: H2 hands out sequence values 32 at a time by default,
 * and a process that dies without closing the database loses what it had not used (job 1, then job 33).
 */
class H2SequencesTest {

    private static final String[] SEQUENCES = {"BATCH_JOB_INSTANCE_SEQ", "BATCH_JOB_EXECUTION_SEQ",
            "BATCH_STEP_EXECUTION_SEQ"};

    @TempDir
    Path dataDir;

    @Test
    void idsContinueByOneAfterACrash() throws Exception {
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:file:" + dataDir.resolve("jobs/captioner") + ";DB_CLOSE_ON_EXIT=FALSE");
        new ResourceDatabasePopulator(new ClassPathResource("org/springframework/batch/core/schema-h2.sql"))
                .execute(database);

        long[] before = new long[SEQUENCES.length];
        try (Connection connection = database.getConnection(); Statement sql = connection.createStatement()) {
            H2Sequences.uncache(connection);
            for (int i = 0; i < SEQUENCES.length; i++) {
                before[i] = next(sql, SEQUENCES[i]);
            }
            // what a process killed a while later leaves behind: what H2 had written by then, nothing on the way out
            sql.execute("CHECKPOINT");
            sql.execute("SHUTDOWN IMMEDIATELY");
        } catch (SQLException closedByShutdown) {
            // the connection is gone with the database
        }

        try (Connection connection = database.getConnection(); Statement sql = connection.createStatement()) {
            H2Sequences.uncache(connection);
            for (int i = 0; i < SEQUENCES.length; i++) {
                assertThat(next(sql, SEQUENCES[i])).as(SEQUENCES[i]).isEqualTo(before[i] + 1);
            }
        }
    }

    @Test
    void aDatabaseThatIsNotH2IsLeftAlone() throws Exception {
        assertThat(H2Sequences.isH2("PostgreSQL")).isFalse();
        assertThat(H2Sequences.isH2("H2")).isTrue();
    }

    private static long next(Statement sql, String sequence) throws SQLException {
        try (ResultSet result = sql.executeQuery("SELECT NEXT VALUE FOR " + sequence)) {
            result.next();
            return result.getLong(1);
        }
    }
}
