package dev.keiryo.engine.backend;

import dev.keiryo.engine.api.KeiryoException;
import dev.keiryo.engine.api.experiment.DataParallelSettings;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The devices a run trains on, from what was asked ({@code --devices}, {@code train.devices}) and what
 * the local machine has. Asking for GPUs where none is usable either falls back to the CPU with one line
 * that says why ({@code notice}), or fails with that sentence; naming a GPU that does not exist, on a
 * machine that has GPUs, is always an error.
 *
 * @param notice the line to show the user, or null
 */
public record DeviceSelection(List<Device> devices, String notice) {
    private static final Pattern CUDA = Pattern.compile("(?:cuda|gpu)(?::(\\d+))?");

    public boolean cpu() {
        return devices.size() == 1 && devices.get(0).isCpu();
    }

    /** True when {@code spec} is "cpu", "cuda", "gpu", "cuda:N" or "gpu:N". */
    public static boolean wellFormed(String spec) {
        return spec != null && DataParallelSettings.DEVICE_NAME.problem(spec) == null;
    }

    /**
     * Picks the devices to train on, or fails with a sentence naming the field.
     *
     * @param requested empty = automatic: every usable GPU, else the CPU
     * @param fallbackToCpu when GPUs are asked for and none is usable: train on the CPU (true) or fail
     * @param field how the user named the devices, for messages ("--devices", "train.devices")
     */
    public static DeviceSelection select(
            BackendInfo backend, List<String> requested, boolean fallbackToCpu, String field) {
        CudaStatus cuda = backend.cuda();
        Device cpu = backend.devices().get(0);
        if (requested == null || requested.isEmpty()) {
            return cuda.usable() ? new DeviceSelection(cuda.devices(), null) : new DeviceSelection(List.of(cpu), null);
        }
        List<String> asked = requested.stream()
                .map(s -> s == null ? "" : s.trim().toLowerCase(Locale.ROOT))
                .toList();
        for (String s : asked) {
            if (!wellFormed(s)) {
                throw new KeiryoException(field + " names '" + s + "', which is not a device; use cpu, cuda (all GPUs)"
                        + " or cuda:N (see keiryo info).");
            }
        }
        if (asked.contains(Device.CPU)) {
            if (asked.size() > 1) {
                throw new KeiryoException(field + " mixes the CPU with GPUs (" + String.join(",", asked) + "); train on"
                        + " either cpu or GPUs.");
            }
            return new DeviceSelection(List.of(cpu), null);
        }
        if (!cuda.usable()) {
            String why = "no usable CUDA GPU: " + cuda.reason();
            if (!fallbackToCpu) {
                throw new KeiryoException(why + "; train on the CPU with --devices cpu (train.devices: [cpu]), or allow"
                        + " the fallback with --device-fallback cpu.");
            }
            return new DeviceSelection(
                    List.of(cpu), why + "; training on the CPU instead (--device-fallback fail" + " stops instead).");
        }
        LinkedHashSet<Device> chosen = new LinkedHashSet<>();
        for (String s : asked) {
            Matcher m = CUDA.matcher(s);
            m.matches();
            if (m.group(1) == null) {
                chosen.addAll(cuda.devices());
                continue;
            }
            int i = Integer.parseInt(m.group(1));
            if (i >= cuda.devices().size()) {
                throw new KeiryoException(field + " names cuda:" + i + ", which does not exist; this machine has "
                        + cuda.devices().stream().map(Device::id).collect(Collectors.joining(", ")) + ".");
            }
            chosen.add(cuda.devices().get(i));
        }
        return new DeviceSelection(new ArrayList<>(chosen), null);
    }
}
