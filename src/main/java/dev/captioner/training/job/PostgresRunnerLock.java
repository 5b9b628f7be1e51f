package dev.captioner.training.job;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL session-level advisory lock on one connection kept open while it is held. The server drops it
 * the moment that session ends, so a runner that dies (even by {@code kill -9}, or with its host) frees it for
 * another replica without a lease to expire. The connection comes from the pool and is unlocked before it goes
 * back: closing a pooled connection does not end its session.
 */
public final class PostgresRunnerLock implements JobRunnerLock {

    private static final Logger log = LoggerFactory.getLogger(PostgresRunnerLock.class);
    /** One fixed key for every replica of one job database: "captionr" in ASCII. */
    static final long KEY = 0x63617074696f6e72L;
    private static final int VALID_CHECK_SECONDS = 5;

    private final DataSource dataSource;
    private Connection held;

    public PostgresRunnerLock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public synchronized boolean tryAcquire() {
        if (held != null) {
            return true;
        }
        Connection connection = null;
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(true);
            if (ask(connection, "select pg_try_advisory_lock(?)")) {
                held = connection;
                return true;
            }
        } catch (SQLException e) {
            log.debug("the job runner lock could not be asked for: {}", e.getMessage());
        }
        closeQuietly(connection);
        return false;
    }

    @Override
    public synchronized boolean stillHeld() {
        if (held == null) {
            return false;
        }
        try {
            // a live session keeps its advisory locks; a broken connection means the server has let it go
            if (held.isValid(VALID_CHECK_SECONDS)) {
                return true;
            }
        } catch (SQLException e) {
            log.debug("the job runner lock's connection failed: {}", e.getMessage());
        }
        closeQuietly(held);
        held = null;
        return false;
    }

    @Override
    public synchronized void release() {
        if (held == null) {
            return;
        }
        try {
            ask(held, "select pg_advisory_unlock(?)");
        } catch (SQLException e) {
            log.debug("the job runner lock could not be released: {}", e.getMessage());
        }
        closeQuietly(held);
        held = null;
    }

    @Override
    public String describe() {
        return "a PostgreSQL advisory lock (" + KEY + ")";
    }

    private static boolean ask(Connection connection, String query) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query)) {
            statement.setLong(1, KEY);
            try (ResultSet result = statement.executeQuery()) {
                return result.next() && result.getBoolean(1);
            }
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            log.debug("closing the job runner lock's connection failed: {}", e.getMessage());
        }
    }
}
