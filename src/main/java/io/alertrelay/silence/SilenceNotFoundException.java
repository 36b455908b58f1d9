package io.alertrelay.silence;

/** No silence has this id (a 404). */
public class SilenceNotFoundException extends RuntimeException {

    public SilenceNotFoundException(String id) {
        super("silence " + id + " not found");
    }
}
