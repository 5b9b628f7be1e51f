package dev.captioner.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;

/**
 * The driver's Hadoop configuration (its {@code spark.hadoop.*} settings: HDFS name nodes, S3A credentials
 * providers) as plain entries, so executors open files the way the driver listed them.
 */
record HadoopConf(Map<String, String> entries) implements Serializable {

    static HadoopConf of(Configuration configuration) {
        Map<String, String> entries = new LinkedHashMap<>();
        configuration.forEach(entry -> entries.put(entry.getKey(), entry.getValue()));
        return new HadoopConf(entries);
    }

    Configuration toConfiguration() {
        Configuration configuration = new Configuration(false);
        entries.forEach(configuration::set);
        return configuration;
    }
}
