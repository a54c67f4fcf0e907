package dev.keiryo.engine.train.parallel;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.weightnoise.IWeightNoise;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A quantization-aware-training hook as DL4J allows one: the forward and backward passes see weights
 * rounded to a 2^-6 grid, the gradient updates the float weights (straight-through). It records
 * which threads trained with it, to show that replicas rebuilt from JSON kept it.
 */
public class ThreadRecordingFakeQuant implements IWeightNoise {
    private static final long serialVersionUID = 1L;
    static final Set<String> TRAINING_THREADS = ConcurrentHashMap.newKeySet();
    private double step = 1.0 / 64;

    public ThreadRecordingFakeQuant() {}

    public double getStep() {
        return step;
    }

    public void setStep(double step) {
        this.step = step;
    }

    @Override
    public INDArray getParameter(
            Layer layer, String paramKey, int iteration, int epoch, boolean train, LayerWorkspaceMgr workspaceMgr) {
        INDArray p = layer.getParam(paramKey);
        if (!train || !"W".equals(paramKey)) {
            return p;
        }
        TRAINING_THREADS.add(Thread.currentThread().getName());
        INDArray q = Transforms.round(p.div(step), false).muli(step);
        return Nd4j.createUninitialized(p.dataType(), p.shape(), p.ordering()).assign(q);
    }

    @Override
    public IWeightNoise clone() {
        ThreadRecordingFakeQuant c = new ThreadRecordingFakeQuant();
        c.step = step;
        return c;
    }
}
