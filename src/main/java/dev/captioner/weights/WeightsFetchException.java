package dev.captioner.weights;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every source failed; the message lists each source tried and why each attempt failed. */
public class WeightsFetchException extends RuntimeException {

    private final transient List<FetchAttempt> attempts;

    WeightsFetchException(List<FetchAttempt> attempts) {
        super(describe(attempts));
        this.attempts = List.copyOf(attempts);
    }

    public List<FetchAttempt> attempts() {
        return attempts;
    }

    private static String describe(List<FetchAttempt> attempts) {
        Map<WeightsSource, List<FetchAttempt>> bySource = new LinkedHashMap<>();
        attempts.forEach(attempt -> bySource.computeIfAbsent(attempt.source(), s -> new ArrayList<>()).add(attempt));
        StringBuilder message = new StringBuilder("could not fetch the VGG16 weights from any of ")
                .append(bySource.size()).append(bySource.size() == 1 ? " source:" : " sources:");
        bySource.forEach((source, failures) -> {
            message.append("\n  ").append(source.name()).append(" ").append(source.url());
            failures.forEach(failure -> message.append("\n    attempt ").append(failure.attempt()).append(": ")
                    .append(failure.reason()));
        });
        return message.toString();
    }
}
