#!/usr/bin/env python3
"""Turns torchvision's MobileNetV2 ImageNet weights (a legacy-format .pth) into an ONNX file at
opset 10, without torch: the .pth is read as a sequence of pickles plus raw storages, and the
network's graph (small and well known) is written here with batch norm folded into each conv.

Outputs two tensors: `feature` (the 1280-d global-average-pooled feature) and `logits` (1000
ImageNet classes). The result is checked by running the ONNX graph itself (a small numpy
interpreter of the node types used) on demo photos and comparing with a committed fixture.

usage: convert_mobilenet.py WEIGHTS.pth OUT.onnx [--fixture F.json] [--write-fixture]
"""
import argparse, io, json, os, pickle, struct, sys
from collections import OrderedDict

import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

OPSET = 10  # OpenCV 4.6's importer rejects opset-11 Clip (limits as inputs)
MEAN = np.array([0.485, 0.456, 0.406], np.float32)
STD = np.array([0.229, 0.224, 0.225], np.float32)
SIDE = 224


# ---- reading the legacy torch serialisation -------------------------------------------------

_DTYPES = {"FloatStorage": np.float32, "DoubleStorage": np.float64, "HalfStorage": np.float16,
           "LongStorage": np.int64, "IntStorage": np.int32, "ByteStorage": np.uint8}


class _StorageType:
    def __init__(self, name): self.dtype = _DTYPES[name]


class _Storage:
    def __init__(self, dtype): self.dtype = dtype; self.data = None


class _TensorRef:
    def __init__(self, storage, offset, size, stride):
        self.storage, self.offset, self.size, self.stride = storage, offset, tuple(size), tuple(stride)

    def array(self):
        item = np.dtype(self.storage.dtype).itemsize
        return np.lib.stride_tricks.as_strided(
            self.storage.data[self.offset:], shape=self.size,
            strides=tuple(s * item for s in self.stride)).copy()


def _rebuild_tensor_v2(storage, offset, size, stride, *rest):
    return _TensorRef(storage, offset, size, stride)


class _Unpickler(pickle.Unpickler):
    def __init__(self, f, storages):
        super().__init__(f); self.storages = storages

    def find_class(self, module, name):
        if module == "torch._utils" and name == "_rebuild_tensor_v2": return _rebuild_tensor_v2
        if module == "torch" and name in _DTYPES: return _StorageType(name)
        if module == "collections" and name == "OrderedDict": return OrderedDict
        raise pickle.UnpicklingError(f"unexpected global {module}.{name}")

    def persistent_load(self, pid):
        kind, stype, key, _location, _size = pid[:5]
        assert kind == "storage"
        if key not in self.storages: self.storages[key] = _Storage(stype.dtype)
        return self.storages[key]


def load_state_dict(path):
    with open(path, "rb") as f:
        magic = pickle.load(f)
        if magic != 0x1950a86a20f9469cfc6c:
            raise SystemExit(f"{path}: not a legacy torch file (magic {magic!r})")
        pickle.load(f)  # protocol version
        pickle.load(f)  # sys info
        storages = {}
        state = _Unpickler(f, storages).load()
        keys = pickle.load(f)
        for key in keys:
            st = storages[key]
            (count,) = struct.unpack("<q", f.read(8))
            st.data = np.frombuffer(f.read(count * np.dtype(st.dtype).itemsize), st.dtype)
    return OrderedDict((k, v.array()) for k, v in state.items())


# ---- the graph ------------------------------------------------------------------------------

SETTINGS = [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]


class Builder:
    def __init__(self, sd):
        self.sd, self.nodes, self.inits, self.n = sd, [], [], 0

    def name(self, p): self.n += 1; return f"{p}_{self.n}"

    def conv_bn(self, x, conv, bn, stride, groups, relu6):
        w = self.sd[conv + ".weight"].astype(np.float32)
        g, b = self.sd[bn + ".weight"], self.sd[bn + ".bias"]
        m, v = self.sd[bn + ".running_mean"], self.sd[bn + ".running_var"]
        scale = g / np.sqrt(v + 1e-5)
        wf = (w * scale[:, None, None, None]).astype(np.float32)
        bf = (b - m * scale).astype(np.float32)
        wn, bn_ = self.name("w"), self.name("b")
        self.inits += [numpy_helper.from_array(wf, wn), numpy_helper.from_array(bf, bn_)]
        k = w.shape[2]; pad = (k - 1) // 2
        y = self.name("conv")
        self.nodes.append(helper.make_node("Conv", [x, wn, bn_], [y], kernel_shape=[k, k], strides=[stride, stride],
                                           pads=[pad] * 4, group=groups))
        if relu6:
            z = self.name("relu6")
            self.nodes.append(helper.make_node("Clip", [y], [z], min=0.0, max=6.0))
            return z
        return y

    def build(self, with_logits=True):
        x = self.conv_bn("input", "features.0.0", "features.0.1", 2, 1, True)
        inp, idx = 32, 1
        for t, c, n, s in SETTINGS:
            for i in range(n):
                stride = s if i == 0 else 1
                hidden = inp * t
                p = f"features.{idx}.conv"
                y, j = x, 0
                if t != 1:
                    y = self.conv_bn(y, f"{p}.0.0", f"{p}.0.1", 1, 1, True); j = 1
                y = self.conv_bn(y, f"{p}.{j}.0", f"{p}.{j}.1", stride, hidden, True)
                y = self.conv_bn(y, f"{p}.{j + 1}", f"{p}.{j + 2}", 1, 1, False)
                if stride == 1 and inp == c:
                    z = self.name("add"); self.nodes.append(helper.make_node("Add", [x, y], [z])); y = z
                x, inp, idx = y, c, idx + 1
        x = self.conv_bn(x, f"features.{idx}.0", f"features.{idx}.1", 1, 1, True)
        pooled = self.name("pool")
        self.nodes.append(helper.make_node("GlobalAveragePool", [x], [pooled]))
        self.nodes.append(helper.make_node("Flatten", [pooled], ["feature"], axis=1))
        outputs = [helper.make_tensor_value_info("feature", TensorProto.FLOAT, [1, 1280])]
        if with_logits:
            w, b = self.sd["classifier.1.weight"].astype(np.float32), self.sd["classifier.1.bias"].astype(np.float32)
            self.inits += [numpy_helper.from_array(w, "fc_w"), numpy_helper.from_array(b, "fc_b")]
            self.nodes.append(helper.make_node("Gemm", ["feature", "fc_w", "fc_b"], ["logits"], transB=1))
            outputs.append(helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 1000]))
        graph = helper.make_graph(self.nodes, "mobilenet_v2",
                                  [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 3, SIDE, SIDE])],
                                  outputs, self.inits)
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                                  producer_name="facet-convert-mobilenet")
        model.ir_version = 5
        onnx.checker.check_model(model)
        return model


# ---- running the ONNX graph with numpy (only the node types written above) -------------------

def _conv(x, w, b, stride, pad, group):
    x = np.pad(x, ((0, 0), (pad, pad), (pad, pad)))
    cin, h, wd = x.shape
    cout, cpg, k, _ = w.shape
    oh, ow = (h - k) // stride + 1, (wd - k) // stride + 1
    if k == 1:
        xs = x[:, ::stride, ::stride][:, :oh, :ow]
        return (w.reshape(cout, cin) @ xs.reshape(cin, -1)).reshape(cout, oh, ow) + b[:, None, None]
    out = np.zeros((cout, oh, ow), np.float32)
    if group == cin and cpg == 1:  # depthwise
        for dy in range(k):
            for dx in range(k):
                out += w[:, 0, dy, dx][:, None, None] * x[:, dy:dy + stride * oh:stride, dx:dx + stride * ow:stride]
        return out + b[:, None, None]
    assert group == 1
    for dy in range(k):
        for dx in range(k):
            patch = x[:, dy:dy + stride * oh:stride, dx:dx + stride * ow:stride].reshape(cin, -1)
            out += (w[:, :, dy, dx] @ patch).reshape(cout, oh, ow)
    return out + b[:, None, None]


def run_numpy(model, image_chw):
    vals = {i.name: numpy_helper.to_array(i) for i in model.graph.initializer}
    vals["input"] = image_chw[None]
    for node in model.graph.node:
        a = {at.name: helper.get_attribute_value(at) for at in node.attribute}
        ins = [vals[i] for i in node.input]
        if node.op_type == "Conv":
            y = _conv(ins[0][0], ins[1], ins[2], a["strides"][0], a["pads"][0], a.get("group", 1))[None]
        elif node.op_type == "Clip": y = np.clip(ins[0], a["min"], a["max"])
        elif node.op_type == "Add": y = ins[0] + ins[1]
        elif node.op_type == "GlobalAveragePool": y = ins[0].mean(axis=(2, 3), keepdims=True)
        elif node.op_type == "Flatten": y = ins[0].reshape(ins[0].shape[0], -1)
        elif node.op_type == "Gemm": y = ins[0] @ ins[1].T + ins[2]
        else: raise SystemExit(f"no numpy rule for {node.op_type}")
        vals[node.output[0]] = y.astype(np.float32)
    return vals["feature"][0], vals.get("logits", [None])[0]


def preprocess(path):
    from PIL import Image  # only the check needs a JPEG decoder
    img = Image.open(path).convert("RGB").resize((SIDE, SIDE), Image.BILINEAR)
    a = (np.asarray(img, np.float32) / 255.0 - MEAN) / STD
    return a.transpose(2, 0, 1).copy()


def check(model, fixture_path, root, write):
    fixture = json.load(open(fixture_path))
    results = []
    for case in fixture["photos"]:
        feature, logits = run_numpy(model, preprocess(os.path.join(root, case["path"])))
        top5 = [int(i) for i in np.argsort(-logits)[:5]]
        results.append({"path": case["path"], "top5": top5, "featureHead": [round(float(v), 4) for v in feature[:16]],
                        "featureNorm": round(float(np.linalg.norm(feature)), 3)})
    if write:
        fixture["photos"] = results
        with open(fixture_path, "w") as f: json.dump(fixture, f, indent=1); f.write("\n")
        print(f"wrote {fixture_path}")
        return
    for got, want in zip(results, fixture["photos"]):
        if got["top5"][0] != want["top5"][0]:
            raise SystemExit(f"{got['path']}: top-1 class {got['top5'][0]} != expected {want['top5'][0]}")
        head = np.array(got["featureHead"]); ref = np.array(want["featureHead"])
        if np.max(np.abs(head - ref)) > 0.02:
            raise SystemExit(f"{got['path']}: feature {head[:4]} != expected {ref[:4]}")
    print(f"checked {len(results)} photos against {fixture_path}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("weights"); ap.add_argument("out")
    ap.add_argument("--fixture"); ap.add_argument("--root", default=".")
    ap.add_argument("--write-fixture", action="store_true")
    args = ap.parse_args()
    model = Builder(load_state_dict(args.weights)).build()
    if args.fixture: check(model, args.fixture, args.root, args.write_fixture)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    onnx.save(model, tmp); os.replace(tmp, args.out)
    print(f"wrote {args.out} (opset {OPSET})")


if __name__ == "__main__":
    main()
