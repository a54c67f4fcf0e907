package dev.keiryo.engine.testsupport;

import dev.keiryo.engine.backend.NativeSetup;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Brings ND4J up with Keiryo's native build and thread settings before any test touches it, so
 * tests run on exactly what users get (settings applied after the natives load have no effect).
 */
public class NativeSetupSession implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        NativeSetup.initialize();
    }
}
