package dev.keiryo.engine.compress.distill;

import dev.keiryo.engine.data.ArrayDataSetIterator;
import dev.keiryo.engine.model.InputShape;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Stage 1's minibatches: the student's inputs with the teacher's hint-layer activations as targets,
 * either cached once with the logits (small hint layers) or computed per batch: a large hidden
 * layer's activations for the whole training set would not fit in memory (32x28x28 floats x
 * 60,000 = 6 GB).
 */
final class HintIterator implements DataSetIterator {
    private static final long serialVersionUID = 1L;

    private final ArrayDataSetIterator source;
    private final transient ComputationGraph teacher;
    private final int hintIndex;
    private final long[] teacherShape;
    private final boolean flatHint;
    private final long[] cachedShape;
    private final int labelOffset;

    /**
     * @param teacherInput the teacher's input shape and whether it takes images as [N, C, H, W]
     * @param flatHint the regressor is dense: targets are [N, features]
     */
    HintIterator(
            ArrayDataSetIterator source,
            ComputationGraph teacher,
            int hintIndex,
            InputShape teacherInput,
            boolean teacherImage,
            boolean flatHint) {
        this.source = source;
        this.teacher = teacher;
        this.hintIndex = hintIndex;
        this.teacherShape = teacherImage && teacherInput.isImage()
                ? new long[] {teacherInput.channels(), teacherInput.height(), teacherInput.width()}
                : new long[] {teacherInput.size()};
        this.flatHint = flatHint;
        this.cachedShape = null;
        this.labelOffset = 0;
    }

    /**
     * Hints cached beside the labels: {@code source} packs them after the {@code numClasses} one-hot
     * columns, and they are cut out and reshaped to {@code hintShape} (without the batch dimension).
     */
    HintIterator(ArrayDataSetIterator source, int numClasses, long[] hintShape) {
        this.source = source;
        this.teacher = null;
        this.hintIndex = -1;
        this.teacherShape = null;
        this.flatHint = hintShape.length == 1;
        this.cachedShape = hintShape;
        this.labelOffset = numClasses;
    }

    @Override
    public DataSet next(int num) {
        org.nd4j.linalg.dataset.api.DataSet batch = source.next(num);
        INDArray x = batch.getFeatures();
        if (cachedShape != null) {
            INDArray packed = batch.getLabels();
            INDArray hint = packed.get(NDArrayIndex.all(), NDArrayIndex.interval(labelOffset, packed.size(1)))
                    .dup('c');
            long[] shape = new long[cachedShape.length + 1];
            shape[0] = x.size(0);
            System.arraycopy(cachedShape, 0, shape, 1, cachedShape.length);
            return new DataSet(x, hint.reshape('c', shape));
        }
        long[] shape = new long[teacherShape.length + 1];
        shape[0] = x.size(0);
        System.arraycopy(teacherShape, 0, shape, 1, teacherShape.length);
        INDArray hint = TeacherOutputs.activation(teacher, hintIndex, x.reshape('c', shape));
        if (flatHint && hint.rank() > 2) {
            hint = hint.reshape('c', hint.size(0), -1);
        }
        return new DataSet(x, hint);
    }

    @Override
    public DataSet next() {
        return next(source.batch());
    }

    @Override
    public boolean hasNext() {
        return source.hasNext();
    }

    @Override
    public void reset() {
        source.reset();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int inputColumns() {
        return source.inputColumns();
    }

    @Override
    public int totalOutcomes() {
        return -1;
    }

    @Override
    public int batch() {
        return source.batch();
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        throw new UnsupportedOperationException("hint batches take no preprocessor");
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return null;
    }

    @Override
    public List<String> getLabels() {
        return null;
    }
}
