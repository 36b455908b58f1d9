package io.alertrelay.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A broken configuration or template stops start-up with its file, line and problem, not a stack trace. */
public class ConfigFailureAnalyzer extends AbstractFailureAnalyzer<ConfigException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ConfigException cause) {
        return new FailureAnalysis("Invalid configuration: " + cause.getMessage(),
                "Fix the file named above and start the relay again.", cause);
    }
}
