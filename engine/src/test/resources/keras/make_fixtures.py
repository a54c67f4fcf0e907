"""Writes the Keras .h5 fixtures of KerasImportTest without TensorFlow.

The files follow the HDF5 layout Keras 2 writes with model.save("m.h5"): root attributes
keras_version, backend and model_config (JSON, as bytes), and a model_weights group with
layer_names, one group per layer with a weight_names attribute and its arrays under
<layer>/<layer>/<weight>:0. The reference outputs are computed here in numpy on channels-last
(NHWC) inputs, the way Keras computes them; the inputs are stored channels-first (NCHW), the way
Keiryo feeds images, so the test checks the import's layout handling too.

Run from the repository root: /usr/bin/python3 engine/src/test/resources/keras/make_fixtures.py
"""

import json
import os

import h5py
import numpy as np

OUT = os.path.dirname(os.path.abspath(__file__))
KERAS_VERSION = b"2.2.4"
GLOROT = {"class_name": "VarianceScaling",
          "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": None}}
ZEROS = {"class_name": "Zeros", "config": {}}
ONES = {"class_name": "Ones", "config": {}}


def dense(name, units, activation="linear", **extra):
    return layer("Dense", name, units=units, activation=activation, use_bias=True,
                 kernel_initializer=GLOROT, bias_initializer=ZEROS, kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **extra)


def conv(name, filters, kernel, padding, activation="linear", use_bias=True, **extra):
    return layer("Conv2D", name, filters=filters, kernel_size=[kernel, kernel], strides=[1, 1],
                 padding=padding, data_format="channels_last", dilation_rate=[1, 1],
                 activation=activation, use_bias=use_bias, kernel_initializer=GLOROT,
                 bias_initializer=ZEROS, kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, **extra)


def pool(kind, name, size):
    return layer(kind, name, pool_size=[size, size], padding="valid", strides=[size, size],
                 data_format="channels_last")


def layer(class_name, name, **config):
    config = {"name": name, "trainable": True, "dtype": "float32", **config}
    return {"class_name": class_name, "config": config}


def node(spec, *inbound):
    """A functional-API layer entry: its config plus the layers it reads from."""
    spec = dict(spec)
    spec["name"] = spec["config"]["name"]
    spec["inbound_nodes"] = [[[i, 0, 0, {}] for i in inbound]] if inbound else []
    return spec


def input_layer(name, shape):
    return layer("InputLayer", name, batch_input_shape=[None, *shape], sparse=False)


def sequential(layers):
    return {"class_name": "Sequential", "config": {"name": "sequential_1", "layers": layers}}


def functional(layers, inputs, outputs):
    return {"class_name": "Model", "config": {
        "name": "model_1", "layers": layers,
        "input_layers": [[i, 0, 0] for i in inputs],
        "output_layers": [[o, 0, 0] for o in outputs]}}


def write(path, model_config, weights, layer_order):
    """weights: layer name -> list of (weight name, array); layers without weights get none."""
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = KERAS_VERSION
        f.attrs["backend"] = b"tensorflow"
        f.attrs["model_config"] = json.dumps(model_config).encode("utf8")
        f.attrs["training_config"] = json.dumps({
            "optimizer_config": {"class_name": "Adam", "config": {"lr": 0.001}},
            "loss": "categorical_crossentropy", "metrics": ["accuracy"],
            "sample_weight_mode": None, "loss_weights": None}).encode("utf8")
        g = f.create_group("model_weights")
        g.attrs["layer_names"] = np.array([n.encode("utf8") for n in layer_order])
        g.attrs["backend"] = b"tensorflow"
        g.attrs["keras_version"] = KERAS_VERSION
        for name in layer_order:
            lg = g.create_group(name)
            params = weights.get(name, [])
            # Keras writes an empty list here for layers without weights, as h5py stores it.
            names = [f"{name}/{w}:0".encode("utf8") for w, _ in params]
            lg.attrs["weight_names"] = np.array(names, dtype="S") if names else []
            for w, value in params:
                lg.create_dataset(f"{name}/{w}:0", data=value.astype(np.float32))


def names_of(layers):
    return [l["config"]["name"] for l in layers]


# ---- the maths, channels-last, as Keras computes it ----

def relu(x):
    return np.maximum(x, 0)


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def conv2d(x, kernel, bias, padding):
    kh, kw, _, cout = kernel.shape
    if padding == "same":
        x = np.pad(x, ((0, 0), (kh // 2, kh // 2), (kw // 2, kw // 2), (0, 0)))
    n, h, w, _ = x.shape
    oh, ow = h - kh + 1, w - kw + 1
    out = np.zeros((n, oh, ow, cout))
    for i in range(kh):
        for j in range(kw):
            out += np.einsum("nhwc,cd->nhwd", x[:, i:i + oh, j:j + ow, :], kernel[i, j])
    return out + (0 if bias is None else bias)


def pool2d(x, size, reduce):
    n, h, w, c = x.shape
    x = x[:, :h - h % size, :w - w % size, :]
    return reduce(x.reshape(n, h // size, size, w // size, size, c), axis=(2, 4))


def batch_norm(x, gamma, beta, mean, var, eps):
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


def expected(path, nchw, outputs):
    with open(path, "w") as f:
        json.dump({"input": [r.ravel().tolist() for r in nchw],
                   "output": [r.tolist() for r in outputs]}, f)


def rand(rng, *shape, scale=0.5):
    return rng.standard_normal(shape) * scale


def mlp(rng):
    layers = [dense("dense_1", 16, "relu", batch_input_shape=[None, 10]),
              layer("Dropout", "dropout_1", rate=0.25, noise_shape=None, seed=None),
              dense("dense_2", 4, "softmax")]
    w = {"dense_1": [("kernel", rand(rng, 10, 16)), ("bias", rand(rng, 16))],
         "dense_2": [("kernel", rand(rng, 16, 4)), ("bias", rand(rng, 4))]}
    write(f"{OUT}/mlp.h5", sequential(layers), w, names_of(layers))
    x = rand(rng, 5, 10, scale=1.0)
    h = relu(x @ w["dense_1"][0][1] + w["dense_1"][1][1])
    y = softmax(h @ w["dense_2"][0][1] + w["dense_2"][1][1])
    expected(f"{OUT}/mlp.expected.json", x, y)


def cnn(rng):
    # 3 channels of 8x7: unequal sides catch a swapped height and width.
    layers = [conv("conv2d_1", 4, 3, "valid", "relu", batch_input_shape=[None, 8, 7, 3]),
              pool("MaxPooling2D", "max_pooling2d_1", 2),
              layer("Flatten", "flatten_1", data_format="channels_last"),
              dense("dense_1", 5, "softmax")]
    w = {"conv2d_1": [("kernel", rand(rng, 3, 3, 3, 4)), ("bias", rand(rng, 4))],
         "dense_1": [("kernel", rand(rng, 3 * 2 * 4, 5)), ("bias", rand(rng, 5))]}
    write(f"{OUT}/cnn.h5", sequential(layers), w, names_of(layers))
    nhwc = rand(rng, 4, 8, 7, 3, scale=1.0)
    h = relu(conv2d(nhwc, w["conv2d_1"][0][1], w["conv2d_1"][1][1], "valid"))
    h = pool2d(h, 2, np.max)
    y = softmax(h.reshape(len(h), -1) @ w["dense_1"][0][1] + w["dense_1"][1][1])
    expected(f"{OUT}/cnn.expected.json", nhwc.transpose(0, 3, 1, 2), y)


def residual(rng):
    eps = 1e-3
    layers = [
        node(input_layer("input_1", [6, 6, 3])),
        node(conv("conv_a", 4, 3, "same", use_bias=False), "input_1"),
        node(layer("BatchNormalization", "bn_a", axis=-1, momentum=0.99, epsilon=eps, center=True,
                   scale=True, beta_initializer=ZEROS, gamma_initializer=ONES,
                   moving_mean_initializer=ZEROS, moving_variance_initializer=ONES,
                   beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                   gamma_constraint=None), "conv_a"),
        node(layer("ReLU", "re_lu_1", max_value=None, negative_slope=0.0, threshold=0.0), "bn_a"),
        node(conv("conv_b", 4, 3, "same", "relu"), "re_lu_1"),
        node(layer("Add", "add_1"), "re_lu_1", "conv_b"),
        node(layer("Concatenate", "concatenate_1", axis=-1), "add_1", "re_lu_1"),
        node(pool("AveragePooling2D", "average_pooling2d_1", 2), "concatenate_1"),
        node(layer("GlobalAveragePooling2D", "global_average_pooling2d_1",
                   data_format="channels_last"), "average_pooling2d_1"),
        node(layer("Dropout", "dropout_1", rate=0.5, noise_shape=None, seed=None),
             "global_average_pooling2d_1"),
        node(dense("dense_1", 3), "dropout_1"),
        node(layer("Activation", "activation_1", activation="softmax"), "dense_1"),
    ]
    w = {"conv_a": [("kernel", rand(rng, 3, 3, 3, 4))],
         "bn_a": [("gamma", 1 + rand(rng, 4, scale=0.2)), ("beta", rand(rng, 4, scale=0.2)),
                  ("moving_mean", rand(rng, 4, scale=0.3)),
                  ("moving_variance", 0.5 + rng.random(4))],
         "conv_b": [("kernel", rand(rng, 3, 3, 4, 4)), ("bias", rand(rng, 4))],
         "dense_1": [("kernel", rand(rng, 8, 3)), ("bias", rand(rng, 3))]}
    write(f"{OUT}/residual.h5", functional(layers, ["input_1"], ["activation_1"]), w,
          [l["name"] for l in layers])
    nhwc = rand(rng, 4, 6, 6, 3, scale=1.0)
    a = conv2d(nhwc, w["conv_a"][0][1], None, "same")
    a = relu(batch_norm(a, *[v for _, v in w["bn_a"]], eps))
    b = relu(conv2d(a, w["conv_b"][0][1], w["conv_b"][1][1], "same"))
    h = np.concatenate([a + b, a], axis=-1)
    h = pool2d(h, 2, np.mean).mean(axis=(1, 2))
    y = softmax(h @ w["dense_1"][0][1] + w["dense_1"][1][1])
    expected(f"{OUT}/residual.expected.json", nhwc.transpose(0, 3, 1, 2), y)


def bad(rng):
    def mlp_with(middle, out_units=3, out_activation="softmax"):
        layers = [dense("dense_1", 6, "relu", batch_input_shape=[None, 4]), *middle,
                  dense("dense_2", out_units, out_activation)]
        w = {"dense_1": [("kernel", rand(rng, 4, 6)), ("bias", rand(rng, 6))],
             "dense_2": [("kernel", rand(rng, 6, out_units)), ("bias", rand(rng, out_units))]}
        return sequential(layers), w, names_of(layers)

    # Keras stores the marshalled function; a stand-in will do, as nothing may run it.
    lam = layer("Lambda", "lambda_1", function=["bGFtYmRhIHg6IHggKiAy", None, None],
                function_type="lambda", output_shape=None, output_shape_type="raw", arguments={})
    write(f"{OUT}/bad-lambda.h5", *mlp_with([lam]))
    custom = layer("MyAttention", "my_attention_1", heads=2)
    write(f"{OUT}/bad-custom.h5", *mlp_with([custom]))
    write(f"{OUT}/bad-regression.h5", *mlp_with([], out_units=1, out_activation="linear"))

    layers = [node(input_layer("input_a", [4])), node(input_layer("input_b", [3])),
              node(layer("Concatenate", "concatenate_1", axis=-1), "input_a", "input_b"),
              node(dense("dense_1", 2, "softmax"), "concatenate_1")]
    write(f"{OUT}/bad-two-inputs.h5", functional(layers, ["input_a", "input_b"], ["dense_1"]),
          {"dense_1": [("kernel", rand(rng, 7, 2)), ("bias", rand(rng, 2))]},
          [l["name"] for l in layers])

    config, w, order = mlp_with([])
    w["dense_2"][0] = ("kernel", rand(rng, 6, 2))  # the config says 3 units
    write(f"{OUT}/bad-weights.h5", config, w, order)

    global KERAS_VERSION
    saved, KERAS_VERSION = KERAS_VERSION, b"3.3.3"
    write(f"{OUT}/bad-keras3.h5", *mlp_with([]))
    KERAS_VERSION = saved

    with h5py.File(f"{OUT}/bad-not-keras.h5", "w") as f:
        f.create_dataset("measurements", data=rng.random((4, 3)))

    with open(f"{OUT}/mlp.h5", "rb") as f:
        whole = f.read()
    with open(f"{OUT}/bad-truncated.h5", "wb") as f:
        f.write(whole[:len(whole) // 2])


def tf2(name):
    """The same model as tf.keras 2.15 writes it: Sequential models start with an InputLayer,
    functional ones are of class Functional, initializers have their own class names."""
    with h5py.File(f"{OUT}/{name}.h5", "r") as f:
        config = json.loads(f.attrs["model_config"])
        weights = {k: [(w.split("/")[-1].split(":")[0], f["model_weights"][k][w][()])
                       for w in f["model_weights"][k].attrs["weight_names"].astype(str)]
                   for k in f["model_weights"] if len(f["model_weights"][k].attrs["weight_names"])}
        order = [n.decode() for n in f["model_weights"].attrs["layer_names"]]
    layers = config["config"]["layers"]
    for l in layers:
        for key in ("kernel_initializer",):
            if key in l["config"]:
                l["config"][key] = {"class_name": "GlorotUniform", "config": {"seed": None}}
        if l["class_name"] == "Conv2D":
            l["config"]["groups"] = 1
    if config["class_name"] == "Sequential":
        shape = layers[0]["config"].pop("batch_input_shape")
        layers.insert(0, input_layer("input_1", shape[1:]))
    else:
        config["class_name"] = "Functional"
    global KERAS_VERSION
    saved, KERAS_VERSION = KERAS_VERSION, b"2.15.0"
    write(f"{OUT}/{name}-tf2.h5", config, weights, order)
    KERAS_VERSION = saved


def softmax_layer(name):
    """The same Sequential model with its softmax as a layer of its own: Dense, Activation."""
    with h5py.File(f"{OUT}/{name}.h5", "r") as f:
        config = json.loads(f.attrs["model_config"])
        weights = {k: [(w.split("/")[-1].split(":")[0], f["model_weights"][k][w][()])
                       for w in f["model_weights"][k].attrs["weight_names"].astype(str)]
                   for k in f["model_weights"] if len(f["model_weights"][k].attrs["weight_names"])}
        order = [n.decode() for n in f["model_weights"].attrs["layer_names"]]
    layers = config["config"]["layers"]
    layers[-1]["config"]["activation"] = "linear"
    layers.append(layer("Activation", "activation_1", activation="softmax"))
    write(f"{OUT}/{name}-softmax.h5", config, weights, order + ["activation_1"])


if __name__ == "__main__":
    rng = np.random.default_rng(20261207)
    mlp(rng)
    cnn(rng)
    residual(rng)
    bad(rng)
    tf2("cnn")
    tf2("residual")
    softmax_layer("mlp")
