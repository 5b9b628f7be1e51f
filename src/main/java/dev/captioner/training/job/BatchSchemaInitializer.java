package dev.captioner.training.job;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchDataSourceScriptDatabaseInitializer;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;

/**
 * Spring Batch's schema script, run only when one of its tables or sequences is missing. Boot's initializer runs
 * it at every start and lets each {@code CREATE} fail on an existing schema: 0.1-0.2 s of a start, and in
 * PostgreSQL a logged error per table and sequence. A schema that is there is left as it is, as before.
 */
public class BatchSchemaInitializer extends BatchDataSourceScriptDatabaseInitializer {

    private static final Logger log = LoggerFactory.getLogger(BatchSchemaInitializer.class);

    /** What Spring Batch's schema script creates: its tables, then its sequences. */
    static final List<String> OBJECTS = List.of("BATCH_JOB_INSTANCE", "BATCH_JOB_EXECUTION",
            "BATCH_JOB_EXECUTION_PARAMS", "BATCH_STEP_EXECUTION", "BATCH_STEP_EXECUTION_CONTEXT",
            "BATCH_JOB_EXECUTION_CONTEXT", "BATCH_STEP_EXECUTION_SEQ", "BATCH_JOB_EXECUTION_SEQ",
            "BATCH_JOB_INSTANCE_SEQ");

    public BatchSchemaInitializer(DataSource dataSource, BatchJdbcProperties properties) {
        super(dataSource, properties);
    }

    @Override
    protected void runScripts(Scripts scripts) {
        if (schemaExists()) {
            log.debug("Spring Batch's tables are there: the schema script is not run");
            return;
        }
        log.info("creating Spring Batch's tables");
        super.runScripts(scripts);
    }

    private boolean schemaExists() {
        try (Connection connection = getDataSource().getConnection()) {
            DatabaseMetaData metadata = connection.getMetaData();
            for (String name : OBJECTS) {
                if (!isTable(metadata, name) && !isSequence(connection, name)) {
                    return false;
                }
            }
            return true;
        } catch (SQLException e) {
            // the script, which continues past errors, decides
            log.debug("cannot tell whether Spring Batch's schema exists: {}", e.getMessage());
            return false;
        }
    }

    private static boolean isTable(DatabaseMetaData metadata, String name) throws SQLException {
        // unquoted names are stored upper case in H2 and lower case in PostgreSQL
        for (String stored : List.of(name, name.toLowerCase(Locale.ROOT))) {
            try (ResultSet tables = metadata.getTables(null, null, stored, new String[] {"TABLE"})) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The SQL standard's view, which H2 and PostgreSQL have (JDBC metadata lists H2's sequences nowhere). */
    private static boolean isSequence(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "select count(*) from information_schema.sequences where upper(sequence_name) = ?")) {
            query.setString(1, name);
            try (ResultSet count = query.executeQuery()) {
                return count.next() && count.getInt(1) > 0;
            }
        }
    }
}
