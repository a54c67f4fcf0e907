package dev.keiryo.engine.api.engine;

import java.util.ServiceLoader;

/** Looks the engine up once: the front ends ask for it on every data load and model inspection. */
final class LocalEngineHolder {
    static final Engine ENGINE = ServiceLoader.load(Engine.class).findFirst().orElse(null);

    private LocalEngineHolder() {}
}
