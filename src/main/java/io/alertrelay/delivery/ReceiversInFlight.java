package io.alertrelay.delivery;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The receivers with a batch being delivered here: planned again only once it ended ({@link DeliveryOutcome#release}). */
final class ReceiversInFlight {

    private final Set<String> names = ConcurrentHashMap.newKeySet();

    boolean contains(String receiver) {
        return names.contains(receiver);
    }

    void add(String receiver) {
        names.add(receiver);
    }

    void remove(String receiver) {
        names.remove(receiver);
    }
}
