package dev.keiryo.engine.backend;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import org.nd4j.common.config.ND4JClassLoading;

/**
 * Makes ND4J start its CPU backend in a build that also carries the CUDA one. ND4J picks the
 * highest-priority backend that calls itself available, and the CUDA backend does so on any GPU the
 * driver lists, even one its kernels cannot run on; its priority is read from the environment only.
 * Hiding the CUDA backend's service entry from the class loader ND4J searches leaves it the CPU.
 */
final class CpuOnlyBackend {
    static final String SERVICE = "META-INF/services/org.nd4j.linalg.factory.Nd4jBackend";

    private CpuOnlyBackend() {}

    static void install() {
        ND4JClassLoading.setNd4jClassloader(new Hiding(ND4JClassLoading.getNd4jClassloader()));
    }

    /** Delegates everything, but lists only the backend service files that do not name a CUDA backend. */
    static final class Hiding extends ClassLoader {
        Hiding(ClassLoader parent) {
            super(parent);
        }

        @Override
        public Enumeration<URL> getResources(String name) throws IOException {
            Enumeration<URL> all = super.getResources(name);
            if (!SERVICE.equals(name)) {
                return all;
            }
            List<URL> kept = new ArrayList<>();
            for (URL u : Collections.list(all)) {
                if (!namesCuda(u)) {
                    kept.add(u);
                }
            }
            return Collections.enumeration(kept);
        }

        private static boolean namesCuda(URL u) throws IOException {
            try (InputStream in = u.openStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).contains(CudaProbe.BACKEND_CLASS);
            }
        }
    }
}
