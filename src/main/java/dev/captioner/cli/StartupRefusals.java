package dev.captioner.cli;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Finds, in a failure's chain of causes, the reason this project gave for refusing to start: an exception of its
 * own, or an {@link IllegalArgumentException} / {@link IllegalStateException} its code threw (how it refuses a
 * setting). Its message is written for the operator; the frames around it are Spring's.
 */
final class StartupRefusals {

    private static final String PROJECT = "dev.captioner.";

    private StartupRefusals() {
    }

    static Optional<Throwable> in(Throwable failure) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            if (cause.getMessage() != null && (isOwn(cause) || isRefusedSetting(cause))) {
                return Optional.of(cause);
            }
        }
        return Optional.empty();
    }

    private static boolean isOwn(Throwable cause) {
        return cause.getClass().getName().startsWith(PROJECT);
    }

    private static boolean isRefusedSetting(Throwable cause) {
        StackTraceElement[] frames = cause.getStackTrace();
        return (cause.getClass() == IllegalArgumentException.class || cause.getClass() == IllegalStateException.class)
                && frames.length > 0 && frames[0].getClassName().startsWith(PROJECT);
    }
}
