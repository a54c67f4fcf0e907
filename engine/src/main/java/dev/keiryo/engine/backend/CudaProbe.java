package dev.keiryo.engine.backend;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Finds out whether the CUDA backend can run, BEFORE ND4J tries it: ND4J answers an unusable GPU
 * with a warning and a stack trace, users deserve one sentence. Everything CUDA is reached by
 * reflection, so the default (CPU-only) build compiles and runs without any CUDA class.
 */
final class CudaProbe {
    static final String BACKEND_CLASS = "org.nd4j.linalg.jcublas.JCublasBackend";
    private static final String CUDART = "org.bytedeco.cuda.global.cudart";
    private static final String DEVICE_PROP = "org.bytedeco.cuda.cudart.cudaDeviceProp";
    // cudaDeviceAttr values from the CUDA runtime API (driver_types.h).
    private static final int COMPUTE_CAPABILITY_MAJOR = 75;
    private static final int COMPUTE_CAPABILITY_MINOR = 76;

    private CudaProbe() {}

    static boolean inBuild() {
        return present(BACKEND_CLASS);
    }

    /** Null when a driver and at least one device answer; otherwise why not. */
    static String whyUnusable() {
        if (!inBuild()) {
            return CudaStatus.NOT_IN_BUILD;
        }
        try {
            Class<?> cudart = Class.forName(CUDART);
            Loader.load(cudart);
            Method count = cudart.getMethod("cudaGetDeviceCount", IntPointer.class);
            try (IntPointer n = new IntPointer(1)) {
                int err = (Integer) count.invoke(null, n);
                if (err != 0) {
                    return "the CUDA driver reports error " + err
                            + " when asked for devices (no GPU, or a driver too old" + " for CUDA 11.6)";
                }
                if (n.get() <= 0) {
                    return "the CUDA driver found no GPU";
                }
                return GpuSupport.problem(gpus(cudart, n.get()));
            }
        } catch (ClassNotFoundException e) {
            return "the CUDA backend is in this build but the CUDA runtime classes are missing (" + e.getMessage()
                    + ")";
        } catch (UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
            return "no usable NVIDIA driver / CUDA 11.6 runtime was found (" + rootMessage(e) + ")";
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "the CUDA runtime could not be queried (" + rootMessage(e) + ")";
        }
    }

    /** Each GPU's name and compute capability, asked of the CUDA runtime without starting ND4J on it. */
    private static List<Gpu> gpus(Class<?> cudart, int count) throws ReflectiveOperationException {
        Method attribute = cudart.getMethod("cudaDeviceGetAttribute", IntPointer.class, int.class, int.class);
        List<Gpu> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            try (IntPointer major = new IntPointer(1);
                    IntPointer minor = new IntPointer(1)) {
                attribute.invoke(null, major, COMPUTE_CAPABILITY_MAJOR, i);
                attribute.invoke(null, minor, COMPUTE_CAPABILITY_MINOR, i);
                out.add(new Gpu(i, name(cudart, i), major.get(), minor.get()));
            }
        }
        return out;
    }

    private static String name(Class<?> cudart, int device) {
        try {
            Class<?> propClass = Class.forName(DEVICE_PROP);
            Object prop = propClass.getConstructor().newInstance();
            cudart.getMethod("cudaGetDeviceProperties", propClass, int.class).invoke(null, prop, device);
            Object name = propClass.getMethod("name").invoke(prop);
            return name instanceof BytePointer b ? b.getString().trim() : "NVIDIA GPU";
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return "NVIDIA GPU"; // the capability decides; the name only helps the user recognise the card
        }
    }

    /** The GPUs of a running CUDA backend, named as ND4J reports them. */
    @SuppressWarnings("unchecked")
    static List<Device> devicesOfRunningBackend() {
        int n = Nd4j.getAffinityManager().getNumberOfDevices();
        Object info = Nd4j.getExecutioner().getEnvironmentInformation().get("cuda.devicesInformation");
        List<Device> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String name = "GPU " + i;
            long memory = 0;
            if (info instanceof List<?> l && i < l.size() && l.get(i) instanceof Map<?, ?> m) {
                Object dn = ((Map<String, Object>) m).get("cuda.deviceName");
                Object mem = ((Map<String, Object>) m).get("cuda.totalMemory");
                name = dn == null ? name : dn.toString();
                memory = mem instanceof Number num ? num.longValue() : 0;
            }
            out.add(new Device("cuda:" + i, name, memory));
        }
        return out;
    }

    private static boolean present(String cls) {
        try {
            Class.forName(cls, false, CudaProbe.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return m == null ? c.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
    }
}
