package io.alertrelay.silence;

/** A silence Alertmanager would refuse: the message names the problem (the API answers it with a 400). */
public class InvalidSilenceException extends IllegalArgumentException {

    public InvalidSilenceException(String message) {
        super(message);
    }
}
