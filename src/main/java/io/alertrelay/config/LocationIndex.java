package io.alertrelay.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each value of a YAML document stands (line and column by JSON pointer), so that checks made
 * after parsing can still say which line is wrong.
 */
final class LocationIndex {

    private final Map<String, JsonLocation> locations = new HashMap<>();

    static LocationIndex of(String yaml) throws IOException {
        LocationIndex index = new LocationIndex();
        try (JsonParser p = new YAMLFactory().createParser(yaml)) {
            while (p.nextToken() != null) {
                JsonToken t = p.currentToken();
                // a key is recorded before its value: errors point at the line of the key
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    continue;
                }
                index.locations.putIfAbsent(p.getParsingContext().pathAsPointer().toString(), p.currentTokenLocation());
            }
        }
        return index;
    }

    boolean isEmpty() {
        return locations.isEmpty();
    }

    /** The location of the value at the pointer, or of its nearest parent that has one. */
    JsonLocation locate(String pointer) {
        JsonPointer ptr = JsonPointer.compile(pointer);
        while (ptr != null) {
            JsonLocation loc = locations.get(ptr.toString());
            if (loc != null) {
                return loc;
            }
            ptr = ptr.head();
        }
        return null;
    }
}
