package dev.keiryo.engine.backend;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Brings up ND4J the way Keiryo measured fastest: the oneDNN native build, DL4J's layer helpers on,
 * and OpenMP threads that wait passively. Every entry point (CLI, GUI, tests) calls
 * {@link #initialize()} before touching ND4J; settings made after the natives load have no effect.
 */
public final class NativeSetup {
    static final String PLATFORM_EXTENSION = "org.bytedeco.javacpp.platform.extension";
    static final String HELPERS_DISABLE = "org.eclipse.deeplearning4j.helpers.disable";
    static final String MAX_PHYSICAL_BYTES = "org.bytedeco.javacpp.maxPhysicalBytes";
    /** Native builds in order of preference; all run on any x86-64 CPU of their OS. */
    private static final String[] EXTENSIONS = {"-onednn", "-onednn-avx2", "-avx2", ""};

    private static BackendInfo info;
    private static int cpuCores;
    private static final Map<String, String> THREAD_SOURCES = new LinkedHashMap<>();

    private NativeSetup() {}

    /**
     * The processors this process may use, as counted before ND4J loaded. Afterwards the JVM's own
     * count is wrong: with {@code OMP_PROC_BIND=true}, OpenMP pins every thread that runs a parallel
     * region (the main thread included) to the first core, and {@code availableProcessors()} reads
     * the calling thread's affinity, so it says 1 on a 2-core machine.
     */
    public static int cpuCores() {
        initialize();
        return cpuCores;
    }

    /**
     * The cores Keiryo's own compute threads may use: {@code OMP_NUM_THREADS} when set (for
     * example 1, to run two jobs side by side), else every core of {@link #cpuCores}.
     */
    public static int computeThreads() {
        return Math.max(1, Math.min(cpuCores(), ThreadSettings.threads(System.getenv("OMP_NUM_THREADS"), cpuCores())));
    }

    public static synchronized BackendInfo initialize() {
        if (info == null) {
            cpuCores = Runtime.getRuntime().availableProcessors();
            ThreadAffinity.recordProcessCores();
            applyThreadDefaults();
            String memorySource = applyMemoryCheckDefault();
            String allocator = NativeMalloc.apply(
                    System.getenv(), !"false".equalsIgnoreCase(System.getProperty(NativeMalloc.DISABLE_PROPERTY)));
            String build = chooseNativeBuild();
            if (System.getProperty(HELPERS_DISABLE) == null) {
                System.setProperty(HELPERS_DISABLE, "false");
            }
            info = offCallerThread(() -> {
                String cudaProblem = CudaProbe.whyUnusable();
                if (cudaProblem != null && CudaProbe.inBuild()) {
                    CpuOnlyBackend.install();
                    loadBackendQuietly();
                } else {
                    Nd4j.getBackend();
                }
                return describe(build, cudaProblem, memorySource, allocator);
            });
        }
        return info;
    }

    /**
     * Loading ND4J runs OpenMP parallel regions, and with {@code OMP_PROC_BIND=true} the thread that
     * runs one is pinned to the first core for good, as is every thread it starts afterwards. The
     * workbench starts JavaFX's threads after this call: loaded on the caller's thread, the GUI's
     * layout and rendering would all share one core with the training thread's OpenMP master.
     */
    private static BackendInfo offCallerThread(java.util.concurrent.Callable<BackendInfo> load) {
        java.util.concurrent.FutureTask<BackendInfo> task = new java.util.concurrent.FutureTask<>(load);
        new Thread(task, "keiryo-native-setup").start();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * With the CUDA backend in the build but no usable GPU, ND4J's JCublasBackend.isAvailable() prints
     * the linker error's stack trace to standard error, and ND4J logs a warning, before it settles on
     * the CPU (checked with a -Pcuda build here). The probe has already put that into one sentence,
     * shown where a GPU was asked for, so both are held back: ND4J's backend log is turned off unless
     * the user set it, and standard error goes nowhere while ND4J picks its backend. It is then the
     * process's own standard error again (file descriptor 2, as the JVM starts it).
     */
    private static void loadBackendQuietly() {
        if (System.getProperty("org.nd4j.log.initialization") == null) {
            System.setProperty("org.nd4j.log.initialization", "false");
        }
        System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            Nd4j.getBackend();
        } finally {
            System.setErr(new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true));
        }
    }

    private static void applyThreadDefaults() {
        boolean apply = !"false".equalsIgnoreCase(System.getProperty(ThreadSettings.DISABLE_PROPERTY));
        Map<String, String> defaults =
                new java.util.HashMap<>(ThreadSettings.defaults(System.getenv("OMP_NUM_THREADS"), cpuCores));
        BlasKernels.forThisCpu().ifPresent(type -> defaults.put(BlasKernels.VARIABLE, type));
        for (String name : ThreadSettings.reported()) {
            String user = System.getenv(name);
            if (user != null) {
                THREAD_SOURCES.put(name, user + " (from the environment)");
            } else if (apply && defaults.containsKey(name) && NativeEnv.set(name, defaults.get(name))) {
                THREAD_SOURCES.put(name, defaults.get(name) + " (Keiryo default)");
            } else {
                THREAD_SOURCES.put(name, "unset");
            }
        }
    }

    /**
     * JavaCPP checks the process's resident memory against {@code maxPhysicalBytes} on every native
     * allocation it tracks, by reading {@code /proc/self/statm}: about 250 reads per LeNet-300-100
     * minibatch, which cost it 5-17% of its training speed on a 2-core AMD EPYC (AVX-512). With the check off,
     * the limit on tracked allocations ({@code maxBytes}, a counter with no system call) still makes
     * JavaCPP collect garbage and then fail with OutOfMemoryError. A user's own setting is kept.
     */
    private static String applyMemoryCheckDefault() {
        if (System.getProperty(MAX_PHYSICAL_BYTES) != null
                || System.getProperty(MAX_PHYSICAL_BYTES.toLowerCase(Locale.ROOT)) != null) {
            return "from -D" + MAX_PHYSICAL_BYTES;
        }
        System.setProperty(MAX_PHYSICAL_BYTES, "0");
        return "Keiryo default";
    }

    private static String chooseNativeBuild() {
        String platform = Loader.getPlatform();
        String chosen = System.getProperty(PLATFORM_EXTENSION);
        if (chosen == null) {
            for (String ext : EXTENSIONS) {
                if (hasNatives(platform + ext)) {
                    chosen = ext;
                    break;
                }
            }
            System.setProperty(PLATFORM_EXTENSION, chosen == null ? "" : chosen);
        }
        return platform + (chosen == null ? "" : chosen);
    }

    private static boolean hasNatives(String classifier) {
        String dir = "org/nd4j/linalg/cpu/nativecpu/bindings/" + classifier + "/";
        ClassLoader cl = NativeSetup.class.getClassLoader();
        for (String lib : new String[] {"libjnind4jcpu.so", "libjnind4jcpu.dylib", "jnind4jcpu.dll"}) {
            if (cl.getResource(dir + lib) != null) {
                return true;
            }
        }
        return false;
    }

    private static BackendInfo describe(String build, String cudaProblem, String memorySource, String allocator) {
        String backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend", "unknown");
        boolean oneDnn = false;
        if ("CPU".equalsIgnoreCase(backend)) {
            oneDnn = org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance()
                    .isUseONEDNN();
        }
        boolean helpers = !Boolean.parseBoolean(System.getProperty(HELPERS_DISABLE, "true"))
                && Nd4j.getEnvironment().helpersAllowed()
                && BaseMKLDNNHelper.mklDnnEnabled();
        CudaStatus cuda;
        if ("CUDA".equalsIgnoreCase(backend)) {
            cuda = new CudaStatus(true, CudaProbe.devicesOfRunningBackend(), null);
        } else {
            cuda = new CudaStatus(
                    CudaProbe.inBuild(),
                    java.util.List.of(),
                    cudaProblem != null ? cudaProblem : "ND4J chose its " + backend + " backend");
        }
        return new BackendInfo(
                backend,
                build,
                oneDnn,
                helpers,
                Nd4j.getEnvironment().maxThreads(),
                cpuCores,
                java.util.Collections.unmodifiableMap(new LinkedHashMap<>(THREAD_SOURCES)),
                NativeMemory.current(memorySource, allocator),
                cuda);
    }
}
