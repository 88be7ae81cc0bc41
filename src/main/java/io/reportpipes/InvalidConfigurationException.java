package io.reportpipes;

import java.util.List;

/** Start-up found the configuration unusable: every problem, each with what to set. */
public final class InvalidConfigurationException extends IllegalArgumentException {

    public InvalidConfigurationException(List<String> problems) {
        super("Invalid job configuration:\n  - " + String.join("\n  - ", problems));
    }
}
