package io.alertrelay.config;

/** An invalid configuration or template, reported as {@code file:line:column: what is wrong}. */
public class ConfigException extends RuntimeException {

    private final String file;
    private final int line;

    public ConfigException(String file, int line, int column, String problem) {
        super(file + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : "") + ": " + problem);
        this.file = file;
        this.line = line;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }
}
