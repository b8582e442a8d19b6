package dev.mizzen.pilot.push;

/** Receives push requests from the registry and the config store. Must not block. */
@FunctionalInterface
public interface PushListener {
    void onPush(PushRequest request);
}
