package dev.captioner.config;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.stereotype.Component;

/**
 * H2 hands out sequence values 32 at a time and keeps only the end of that block on disk, so a process that dies
 * without closing the database skips the rest: job 1, then job 33. At every start, once Spring Batch's schema
 * exists, each cached sequence of the job repository (job instance, job execution and step execution ids) is
 * made to store every value instead; a job takes a handful of ids, so the extra writes cost nothing. Other
 * databases are left as they are.
 */
@Component
@DependsOnDatabaseInitialization
public class H2Sequences implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(H2Sequences.class);

    private final DataSource dataSource;

    public H2Sequences(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void afterPropertiesSet() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (isH2(connection.getMetaData().getDatabaseProductName())) {
                uncache(connection);
            }
        }
    }

    static boolean isH2(String databaseProduct) {
        return "H2".equals(databaseProduct);
    }

    /** Every sequence that caches values stops doing so (an uncached one is left alone, so this is repeatable). */
    static void uncache(Connection connection) throws SQLException {
        List<String> cached = new ArrayList<>();
        try (Statement sql = connection.createStatement();
             ResultSet sequences = sql.executeQuery(
                     "SELECT SEQUENCE_SCHEMA, SEQUENCE_NAME FROM INFORMATION_SCHEMA.SEQUENCES WHERE CACHE > 1")) {
            while (sequences.next()) {
                cached.add(quoted(sequences.getString(1)) + "." + quoted(sequences.getString(2)));
            }
        }
        try (Statement sql = connection.createStatement()) {
            for (String sequence : cached) {
                sql.execute("ALTER SEQUENCE " + sequence + " NO CACHE");
            }
        }
        if (!cached.isEmpty()) {
            log.info("job repository sequences {} no longer cache values, so a crash skips no ids", cached);
        }
    }

    private static String quoted(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
