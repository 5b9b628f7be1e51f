package dev.captioner.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Refuses to start when {@code captioner.data-dir} is a file, or a folder (or the place for one) this process
 * cannot write to. Checked once the settings are read and before any bean exists: otherwise the first to notice is
 * the job database, deep in a chain of bean failures that ends in H2's words. Changes nothing on disk.
 */
public class DataDirectoryCheck implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY = "captioner.data-dir";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String setting = Binder.get(environment).bind(PROPERTY, String.class).orElse(CaptionerProperties.DEFAULT_DATA_DIR);
        check(setting);
    }

    static void check(String setting) {
        Path dataDir;
        try {
            dataDir = Path.of(setting).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new StartupRefusedException(PROPERTY + " '" + Excerpt.of(setting) + "' is not a valid path: "
                    + e.getReason());
        }
        if (Files.exists(dataDir)) {
            if (!Files.isDirectory(dataDir)) {
                throw new StartupRefusedException(PROPERTY + " " + dataDir + " is a file, not a folder; "
                        + "point CAPTIONER_DATA_DIR at a folder");
            }
            if (!Files.isWritable(dataDir)) {
                throw new StartupRefusedException(PROPERTY + " " + dataDir + " cannot be written by this user; "
                        + "the job database, feature cache and job folders live there");
            }
            return;
        }
        Path existing = dataDir.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
            throw new StartupRefusedException(PROPERTY + " " + dataDir + " does not exist and cannot be created ("
                    + (existing == null ? "no existing parent" : existing + (Files.isDirectory(existing)
                    ? " cannot be written by this user" : " is a file")) + ")");
        }
    }

    /** After the configuration files are read, so the setting from application.yml is the one checked. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
