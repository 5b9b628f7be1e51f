package dev.captioner.training.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcProperties;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

/**
 * Spring Batch's schema script runs on a database without its schema, or with a part of it missing (a first
 * start that died half way), and not on a complete one.
 */
class BatchSchemaInitializerTest {

    @Test
    void runsTheScriptOnlyWhereSomethingIsMissing() throws Exception {
        JdbcDataSource database = new JdbcDataSource();
        database.setURL("jdbc:h2:mem:batch-schema-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");

        assertThat(scriptRuns(database)).as("an empty database").isTrue();
        for (String name : BatchSchemaInitializer.OBJECTS) {
            assertThat(exists(database, name)).as(name).isTrue();
        }
        assertThat(scriptRuns(database)).as("the whole schema is there").isFalse();

        // the script creates its sequences last: one missing means it stopped before its end
        execute(database, "drop sequence BATCH_JOB_INSTANCE_SEQ");
        assertThat(scriptRuns(database)).isTrue();
        assertThat(exists(database, "BATCH_JOB_INSTANCE_SEQ")).isTrue();

        execute(database, "drop table BATCH_JOB_EXECUTION_CONTEXT");
        assertThat(scriptRuns(database)).isTrue();
        assertThat(exists(database, "BATCH_JOB_EXECUTION_CONTEXT")).isTrue();
        assertThat(scriptRuns(database)).isFalse();
    }

    /** Initializes the database as a start does; whether the script ran. */
    private static boolean scriptRuns(DataSource database) throws Exception {
        BatchJdbcProperties properties = new BatchJdbcProperties();
        properties.setInitializeSchema(DatabaseInitializationMode.ALWAYS);
        boolean[] ran = {false};
        BatchSchemaInitializer initializer = new BatchSchemaInitializer(database, properties) {
            @Override
            protected void customize(ResourceDatabasePopulator populator) {
                // Boot's initializer calls this just before it runs the script
                ran[0] = true;
            }
        };
        initializer.setResourceLoader(new DefaultResourceLoader());
        initializer.afterPropertiesSet();
        return ran[0];
    }

    private static boolean exists(JdbcDataSource database, String name) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
             ResultSet objects = statement.executeQuery("select count(*) from information_schema.tables where "
                     + "table_name = '" + name + "' union all select count(*) from information_schema.sequences "
                     + "where sequence_name = '" + name + "'")) {
            int found = 0;
            while (objects.next()) {
                found += objects.getInt(1);
            }
            return found == 1;
        }
    }

    private static void execute(JdbcDataSource database, String sql) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
