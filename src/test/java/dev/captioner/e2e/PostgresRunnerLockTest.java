package dev.captioner.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import dev.captioner.training.job.PostgresRunnerLock;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The job runner lock on a real PostgreSQL: one holder among processes sharing the database, free again the
 * moment the holder gives it up or its session ends (as when its process is killed), and a holder that lost its
 * session knows it.
 */
class PostgresRunnerLockTest {

    @Test
    void oneHolderAtATimeAndFreedWhenItsSessionEnds() throws Exception {
        try (TestPostgres database = TestPostgres.start()) {
            PostgresRunnerLock first = new PostgresRunnerLock(dataSource(database));
            PostgresRunnerLock second = new PostgresRunnerLock(dataSource(database));

            assertThat(first.tryAcquire()).isTrue();
            assertThat(first.tryAcquire()).as("asked again by its holder").isTrue();
            assertThat(second.tryAcquire()).isFalse();
            assertThat(first.stillHeld()).isTrue();
            assertThat(second.stillHeld()).isFalse();

            first.release();
            assertThat(first.stillHeld()).isFalse();
            assertThat(second.tryAcquire()).isTrue();
            assertThat(first.tryAcquire()).isFalse();

            // the holder's session ends as a killed process's does: the lock is free and the holder knows it lost it
            terminateOtherSessions(database);
            assertThat(second.stillHeld()).isFalse();
            assertThat(first.tryAcquire()).isTrue();
            first.release();
        }
    }

    private static PGSimpleDataSource dataSource(TestPostgres database) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setUrl(database.url());
        source.setUser(TestPostgres.USER);
        return source;
    }

    private static void terminateOtherSessions(TestPostgres database) throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery("select count(pg_terminate_backend(pid)) from pg_stat_activity "
                     + "where datname = current_database() and pid <> pg_backend_pid()")) {
            assertThat(result.next()).isTrue();
            assertThat(result.getInt(1)).isEqualTo(1);
        }
    }
}
