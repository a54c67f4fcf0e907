package dev.keiryo.app;

import dev.keiryo.engine.backend.NativeSetup;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Brings ND4J up with Keiryo's native build before any test touches it, as the application's init() does. */
public class NativeSetupSession implements LauncherSessionListener {
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        NativeSetup.initialize();
    }
}
