package io.alertrelay.template;

/** A template failed while rendering (it parsed, but a method it called failed). */
public class TemplateException extends RuntimeException {
    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
