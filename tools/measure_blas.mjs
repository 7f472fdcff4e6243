// Time one training epoch of SoftmaxNetwork(196, 64) on the 60,000 training digits
// (momentum 0.9; mini-batches of 128, then one full batch) in real Pyodide under Node,
// once per matmul backend.
//   node tools/measure_blas.mjs [path/to/pylib-0.1.0-py3-none-any.whl]
import { loadPyodide } from "../build/pyodide/pyodide.mjs";
import { fileURLToPath, pathToFileURL } from "url";
import path from "path";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const wheel = path.resolve(process.argv[2] ?? path.join(repo, "assets/wheels/pylib-0.1.0-py3-none-any.whl"));
const pyodide = await loadPyodide({ indexURL: path.join(repo, "build/pyodide") + "/" });
await pyodide.loadPackage(["numpy", "scipy", pathToFileURL(wheel).href], { messageCallback: () => {} });
const result = pyodide.runPython(`
import json, time
import pylib
data = pylib.load_mnist()
Y = pylib.one_hot(data.y_train)
seconds = {}
for batch_size in (128, None):
    for backend in ("numpy", "blas"):
        pylib.set_matmul_backend(backend)
        net = pylib.SoftmaxNetwork(196, 64, seed=0)
        start = time.perf_counter()
        pylib.train(net, data.X_train, Y, epochs=1, learning_rate=0.5, batch_size=batch_size, momentum=0.9,
                    on_epoch=None)
        seconds[f"{backend} batch {batch_size or 'full'}"] = time.perf_counter() - start
json.dumps(seconds)
`);
const s = JSON.parse(result);
for (const batch of ["128", "full"]) {
  const numpy = s[`numpy batch ${batch}`], blas = s[`blas batch ${batch}`];
  console.log(`one epoch, batch ${batch}: numpy ${numpy.toFixed(2)} s, blas ${blas.toFixed(2)} s, ratio ${(numpy / blas).toFixed(1)}x`);
}
