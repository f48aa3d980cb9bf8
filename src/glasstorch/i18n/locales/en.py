"""English messages (the reference catalogue: every other language has the same keys and the same {fields})."""

MESSAGES = {
    "language.probe": "a",
    "cli.lang_help": "language of messages, tour, explain and plots: zh or en (default: $GLASSTORCH_LANG, else the "
                     "locale)",
    "fonts.missing": "glasstorch: no Chinese font found, so plots are labelled in English. To draw Chinese: "
                     "pip install 'glasstorch[zh]' (Noto Sans CJK, SIL Open Font License), or install a CJK font "
                     "(Debian/Ubuntu: apt-get install fonts-wqy-microhei or fonts-noto-cjk).",

    # ---- the companion's commands
    "cli.companion": "glasstorch's course companion: run, explain, tour",
    "cli.run.help": "run a PyTorch script with glasstorch standing in for torch",
    "cli.run.description": "Runs SCRIPT.py as `python SCRIPT.py ARGS...` would, with `import torch` and "
                           "`import torchsummary` giving glasstorch.",
    "cli.run.figures": "save the figures that plt.show() would show into DIR as PNG",
    "cli.run.script": "the Python script to run",
    "cli.run.args": "arguments passed to the script (its sys.argv[1:])",
    "cli.explain.help": "the course's backpropagation example, explained in numbers",
    "cli.explain.description": "Builds the course's 2-2-2 sigmoid network in float64 and prints every value, every "
                               "local derivative, the chain rule for each weight and one gradient-descent step "
                               "(learning rate 0.5).",
    "cli.explain.digits": "decimals shown (default 8)",
    "cli.explain.draw": "also draw the network with these numbers into FILE (.svg or .png)",
    "cli.tour.help": "walk the course chapter by chapter, printing results and saving plots",
    "cli.tour.description": "Walks the course's nine sections: each chapter prints its key results and saves its "
                            "figures into --out, and the run ends with an index of the files written.",
    "cli.tour.out": "folder for the plots (default ./tour)",
    "cli.tour.chapter": "run only chapter N (repeatable); see --list",
    "cli.tour.list": "list the chapters and exit",
    "cli.tour.epochs": "epochs for the case study's recipes (default: each recipe's own)",
    "cli.tour.data": "the phone-price CSV for the case study",
    "cli.tour.source": "print, chapter by chapter, the glasstorch code that implements it (file:line) and exit",

    # ---- glasstorch run
    "run.no_file": "glasstorch run: can't open file {script}: no such file",
    "run.interrupted": "glasstorch run: interrupted",
    "run.not_implemented": "glasstorch run: glasstorch does not implement {name}",
    "run.saved": "glasstorch run: saved {path}",

    # ---- the tour
    "tour.title.neurons": "Neurons and layers",
    "tour.title.activations": "Activation functions",
    "tour.title.initialisation": "Parameter initialisation",
    "tour.title.building": "Building a model and counting its parameters",
    "tour.title.losses": "Loss functions",
    "tour.title.optimisation": "Optimisation: gradient descent, backpropagation and the optimizers",
    "tour.title.lr_decay": "Learning-rate decay",
    "tour.title.regularisation": "Regularisation: Dropout and batch normalisation",
    "tour.title.case_study": "Case study: phone price classification",
    "tour.heading": "Chapter {number}. {title} ({course})",
    "tour.list_line": "{number}. {title} ({course})",
    "tour.no_chapter": "glasstorch tour: no chapter {numbers} (chapters are 1 to {last})",
    "tour.chapter_failed": "chapter {number} failed",
    "tour.index_title": "Tour index: {folder}",
    "tour.index_markdown_title": "# glasstorch tour",
    "tour.index_file": "index: {path}",
    "tour.failed_mark": " (failed)",
    "tour.no_figure": "(no figure)",
    "tour.source.line": "    {name:<58} {place}  ({lines} lines)",
    "tour.source.total": "The reading path: {path} lines in {definitions} definitions; the whole package: {total} "
                         "lines in {files} files (the rest is PyTorch parity, the trainer, this companion, plots, "
                         "saving and loading, translations).",
    "tour.source.guide": "Read them in order with the guide: docs/READING.md (Chinese: docs/READING.zh-CN.md).",

    "ch1.layer": "{layer}: weight {weight}, bias {bias}",
    "ch1.forward": "x = {x}  →  z = W·x + b = {z}  →  a = sigmoid(z) = {a}",
    "ch1.collapse": "without activation: f_out = {out} = k0·x0 + k1·x1 + c = {line} (k0 = {k0}, k1 = {k1}, c = {c})",
    "ch2.derivative": "{name} largest derivative on [-20, 20]: {largest}; derivative at -6: {minus_six}, at 6: {six}",
    "ch2.softmax": "softmax of the course's scores: {probabilities}",
    "ch2.softmax_sum": "sum {total}, predicted class {predicted}",
    "ch3.first_row": "{label} first row {row}",
    "ch3.limits": "limits for Linear(5, 3): kaiming uniform √(6/fan_in) = {kaiming_uniform}, xavier uniform "
                  "√(6/(fan_in+fan_out)) = {xavier_uniform}; std: kaiming normal √(2/fan_in) = {kaiming_normal}, "
                  "xavier normal = {xavier_normal}",
    "ch4.shapes": "mydata shape {data}, output shape {output}; rows sum to 1: {sums}",
    "ch4.count": "{name}: {inputs} × {outputs} + {outputs} = {total}",
    "ch5.smooth_l1": "SmoothL1Loss: {smooth}   (-log 0.7 = {log}, the course's cross-entropy example)",
    "ch6.iterations": "50000 samples, batch size 256: {per_epoch} iterations per epoch, {ten} in 10 epochs",
    "ch6.descent": "gradient descent on the example: E_total {first} → {last} after {steps} steps",
    "ch6.two_steps": "two steps on loss = w²/2 from w = 1, lr 0.01 (the course's weights after each step in brackets)",
    "ch6.step": "grad {grad}, weight {weight}",
    "ch6.steps": "{name} step 1: {first};  step 2: {second}  [course: {course}]",
    "ch6.ewa": "EWA β = {beta}: mean day-to-day change {roughness} (temperatures: {raw})",
    "ch7.epoch_rate": "epoch {epoch}: {lr}",
    "ch7.rates": "{schedule}: {rates}",
    "ch8.before_dropout": "before Dropout: {values}",
    "ch8.after_dropout": "after Dropout (training): {values}",
    "ch8.dropout_checks": "survivors scaled by 1/(1-0.4) = {scale}: {scaled}; in eval mode Dropout is the identity: "
                          "{identity}",
    "ch8.batchnorm": "BatchNorm2d output per channel: mean {mean}, std {std}; weight {weight}, bias {bias}",
    "ch8.running": "running_mean {mean}, running_var {var} after one batch (momentum 0.1)",

    "case.run_again": "Then run this chapter again: glasstorch tour --chapter 9 [--data PATH]",
    "case.data": "{path}: {rows} rows, {features} features, target '{target}' with classes {classes}; {train} "
                 "training rows, {test} held out",
    "case.recipe": "recipe {recipe}: {config}",
    "case.accuracy": "recipe {recipe}: accuracy {accuracy} on {test} held-out rows after {epochs} epochs ({seconds} s)",
    "case.course_reports": "; the course reports 0.6425 for its recipe (PyTorch 2.13 gives 0.655 with the same code)",
    "case.full_trainer": "The full trainer, with metrics.json, the confusion matrix and the saved model: "
                         "glasstorch train --recipe course|tuned",

    # ---- explain
    "explain.worked_example": "The course's worked example: a 2-2-2 network with sigmoid, inputs i1 = 0.05, "
                              "i2 = 0.10, targets 0.01, 0.99, E = Σ ½(target - out)², learning rate 0.5 (float64)",
    "explain.forward": "Forward pass: each value, and its local derivatives (from the node's backward)",
    "explain.backward": "Backward pass: the chain rule, summed over every path from {output} to each leaf",
    "explain.autograd_agrees": "(autograd's backward gives the same gradients: largest difference {worst})",
    "explain.update": "Gradient descent with learning rate {lr}: w⁺ = w - lr × ∂{output}/∂w",
    "explain.no_path": "(no path from {output} to {leaf})",
    "explain.too_many_paths": "(more than {limit} paths: only their sum is shown)",
    "explain.no_grad_fn": "explain needs a tensor computed from tensors that require grad (it has no grad_fn)",
    "explain.not_scalar": "explain works on graphs of scalars, as the course draws them; a tensor of shape {shape} was "
                          "found (write the network with one tensor per value)",
    "explain.graph_freed": "explain needs the graph that backward frees: call explain(...) before output.backward(), "
                           "or call output.backward(retain_graph=True)",
    "explain.not_tensor": "explain: {name} is not a tensor",
    "explain.not_in_graph": "explain: {name} is not part of the graph of the output",

    # ---- plots: titles, axes, legends
    "plots.activations_title": "Activation functions and their derivatives (x.grad after f(x).sum().backward())",
    "plots.autograd_derivative": "{name}'(x), autograd",
    "plots.weights": "weights",
    "plots.limit": "limit ±{limit}",
    "plots.limits_0_1": "limits 0 and 1",
    "plots.measured_std": "measured std {std}",
    "plots.weight_value": "weight value",
    "plots.density": "density",
    "plots.init_title": "nn.init on a Linear({fan_in}, {fan_out}) weight: fan_in = {fan_in}, fan_out = {fan_out}",
    "plots.epoch": "Epoch",
    "plots.learning_rate": "Learning rate",
    "plots.lr_title": "Learning-rate decay (optim.lr_scheduler, scheduler.step() once per epoch)",
    "plots.temperature_label": "temperature Y_t",
    "plots.ewa_label": "EWA S_t, β = {beta}",
    "plots.day": "Day",
    "plots.temperature": "Temperature",
    "plots.ewa_title": "Exponentially weighted averages: the larger β, the smoother the curve",
    "plots.ravine": "Ravine f = x²/20 + y²",
    "plots.saddle": "Saddle f = x²/2 + y⁴/4 - y²/2 (saddle at 0, minima at y = ±1)",
    "plots.start": "start",
    "plots.steps_lr": "{steps} steps, base lr {lr}",
    "plots.paths_title": "Optimizer paths: SGD, Momentum (β = 0.9), AdaGrad, RMSProp (α = 0.9), Adam",
    "plots.training_curves": "Training curves",
    "plots.case_study_curves": "Phone prices, recipe '{recipe}': held-out accuracy {accuracy}",
    "plots.train_loss": "train loss",
    "plots.test_loss": "held-out loss",
    "plots.train_accuracy": "train accuracy",
    "plots.test_accuracy": "held-out accuracy",
    "plots.loss": "Loss",
    "plots.accuracy": "Accuracy",
    "plots.per_epoch": "{quantity} per epoch",
    "plots.loss_cut": "{title} (axis cut at {top}; epoch 1 reaches {first})",
    "plots.no_activation": "no activation: out(hidden(x))",
    "plots.one_layer": "one layer k·x + c (k = {k}, c = {c})",
    "plots.input_x": "input x",
    "plots.network_output": "network output",
    "plots.collapse_title": "Without an activation, two Linear layers collapse into one linear map",
    "plots.parameters_per_layer": "Parameters per layer",
    "plots.parameters_case_study": "The case study's network 20→128→256→4",
    "plots.weights_bar": "weights w (in × out)",
    "plots.biases_bar": "biases b (out)",
    "plots.parameters": "parameters",
    "plots.parameters_total": "{title}: total {total}",
    "plots.gradient_of": "{name} gradient",
    "plots.regression_losses": "Regression losses",
    "plots.their_gradients": "Their gradients (autograd)\nMSE grows with e, L1 jumps at 0",
    "plots.error_e": "error e = prediction - target",
    "plots.loss_value": "loss",
    "plots.dloss": "d loss / d prediction",
    "plots.bce_target_1": "BCE, target 1: -log p",
    "plots.bce_target_0": "BCE, target 0: -log(1 - p)",
    "plots.course_log": "course: -log 0.7 = 0.357",
    "plots.predicted_p": "predicted probability p",
    "plots.bce_title": "Binary cross-entropy\n-log(probability given to the true class)",
    "plots.e_total": "E_total: {first} at step 1, {last} at step {steps}",
    "plots.gd_step_lr": "gradient-descent step (lr 0.5)",
    "plots.e_total_log": "E_total (log scale)",
    "plots.out_target": "{name} (target {target})",
    "plots.outputs_approach": "Outputs approach their targets",
    "plots.gd_step": "gradient-descent step",
    "plots.output": "output",
    "plots.backprop_title": "Backpropagation + gradient descent on the course's worked example",
    "plots.after_dropout": "value after Dropout",
    "plots.dropout_title": "Dropout(p={p}) on ones(16, 32), training\nzeroed {zeroed}, survivors 1/(1-p) = {scale}",
    "plots.feature": "feature",
    "plots.sample": "sample",
    "plots.feature_i": "feature {i}",
    "plots.before_bn": "Before BatchNorm1d\ndifferent means and scales",
    "plots.after_bn": "After BatchNorm1d (training)\nmean 0, variance 1 per feature",
    "plots.value": "value",
    "plots.count": "count",
    "plots.regularisation_title": "Regularisation: Dropout and batch normalisation",
    "plots.train_mean": "train (mean over batches)",
    "plots.held_out": "held-out",
    "plots.train": "train",
    "plots.predicted": "predicted",
    "plots.true": "true",

    # ---- examples/*.py
    "ex.saved": "saved {path}",
    "ex01.by_hand": "by hand     =",
    "ex01.two_layers": "two layers: {two}   one layer k·x + c: {one}",
    "ex01.with_relu": "with ReLU between them: {value} (no longer k·x + c in general)",
    "ex02.formula": "(formula: {formula})",
    "ex02.or": "{left} or {right}",
    "ex03.uniform": "1. uniform (0, 1)",
    "ex03.constant": "2. constant 5",
    "ex03.zeros": "3. zeros",
    "ex03.ones": "4. ones",
    "ex03.normal": "5. normal (0, 1)",
    "ex03.kaiming_normal": "6. kaiming normal",
    "ex03.kaiming_uniform": "6. kaiming uniform",
    "ex03.xavier_normal": "7. xavier normal",
    "ex03.xavier_uniform": "7. xavier uniform",
    "ex03.kaiming": "kaiming: std √(2/fan_in) = {std}, limit √(6/fan_in) = {limit}",
    "ex03.xavier": "xavier:  std √(2/(fan_in+fan_out)) = {std}, limit √(6/(fan_in+fan_out)) = {limit}",
    "ex04.parameters": "=====model parameters w and b=====",
    "ex05.gradient": "gradient:",
    "ex06.hook": "backward reaches out_o1 with ∂E/∂out_o1 = {grad}",
    "ex06.autograd": "autograd: w5.grad = {w5}  w1.grad = {w1}",
    "ex07.step": "{name} step {step}: w.grad: {grad}, updated weight: {weight}",
    "ex08.change": "mean day-to-day change {change}",
    "ex10.before": "FC output before dropout:",
    "ex10.after": "after dropout (zeros, survivors × 1/(1-0.4) = 1.6667):",
    "ex10.eval": "in eval mode:",
    "ex11.mean_std": "per-channel mean {mean} and std {std}",
    "ex12.epoch": "epoch: {epoch} loss: {loss}, time: {seconds}s",
    "ex12.shape": "input features: {features}  classes: {classes}",

    # ---- the phone-price data
    "dataset.downloaded": "downloaded the phone-price CSV from {url} (sha256 verified) into {path}",
    "dataset.other_bytes": "{url}: served other bytes (sha256 {got}…, expected {expected}…); rejected",
    "dataset.not_found": "the course's phone-price CSV (mobile_price_train.csv, 2000 rows, 21 columns) was not found.",
    "dataset.looked_in": "Looked in:",
    "dataset.download_failure": "download: {failure}",
    "dataset.cache": "{path} (cache)",
    "dataset.checksum_mismatch": ": checksum mismatch, ignored",
    "dataset.offline": "skipped (offline)",
    "dataset.put_it_here": "Put the file at ./data/mobile_price_train.csv, or pass --data PATH, or set "
                           "GLASSTORCH_DATA=PATH.",
    "dataset.what_it_is": "It is Kaggle's 'Mobile Price Classification' train.csv (the course's 手机价格预测.csv); a "
                       "public copy:",
    "dataset.mirror_hint": "If that host is unreachable, set GLASSTORCH_DATA_URL to any copy of the file (a mirror, "
                        "an intranet server): it is kept only if its sha256 matches.",
    "dataset.sha256": "Its sha256 is {sha256}.",
    "dataset.synthetic": "Or try glasstorch without it: glasstorch train --synthetic 2000",
    "dataset.no_such_file": "no such file: {path}",
    "dataset.env_names_no_file": "GLASSTORCH_DATA={value} names no file",

    # ---- what each chapter of the tour shows, in a teacher's words
    "ch1.summary": "In short: a neuron computes its internal state z = W·x + b, then its activation a = f(z). Without "
                   "activation functions any stack of layers is one linear model; the activation is what brings in "
                   "non-linearity.",
    "ch2.summary": "In short: sigmoid's derivative is at most 0.25 and almost 0 outside [-6, 6], so deep sigmoid "
                   "networks suffer vanishing gradients: prefer ReLU (derivative 1 for x > 0) in hidden layers. Output "
                   "layers: sigmoid for two classes, softmax for several (the probabilities sum to 1).",
    "ch3.summary": "In short: kaiming and xavier scale the weights by fan_in (and fan_out) so that each layer's output "
                   "keeps its variance: xavier for sigmoid/tanh, kaiming for ReLU; a shallow network does fine with a "
                   "random init. Zeros, ones or a constant make every neuron of a layer the same.",
    "ch4.summary": "In short: a Linear layer has inputs × outputs weights plus outputs biases; the course's model has "
                   "12 + 8 + 6 = 26 parameters.",
    "ch5.summary": "In short: several classes → nn.CrossEntropyLoss (softmax inside: give it raw scores); two "
                   "classes → nn.BCELoss (give it sigmoid probabilities); regression → MAE (L1), MSE (L2) or "
                   "Smooth L1, which is L2 inside [-1, 1] and L1 outside: smooth at 0, and no exploding gradient on outliers.",
    "ch6.summary": "In short: backpropagation is the chain rule: the derivative of the error with respect to a weight "
                   "is the sum, over every path from the output to that weight, of the product of local derivatives; "
                   "then w⁺ = w - η × ∂E/∂w. Momentum smooths the gradient with an exponentially weighted average, "
                   "AdaGrad and RMSProp scale the learning rate by the accumulated squared gradients, Adam does both.",
    "ch7.summary": "In short: StepLR multiplies the learning rate by gamma every step_size epochs, MultiStepLR at the "
                   "milestones, ExponentialLR every epoch (lr = lr × gamma^epoch).",
    "ch8.summary": "In short: in training Dropout zeroes each value with probability p and scales the rest by 1/(1-p), "
                   "so the expectation is unchanged; in evaluation it does nothing. Batch normalisation standardises "
                   "each channel to mean 0 and variance 1, then applies the learnable λ (weight) and β (bias), and "
                   "keeps running_mean and running_var for evaluation. Both help against overfitting.",
    "case.summary": "In short: the case study goes dataset → classification model → training → evaluation. The "
                    "course's homework (Adam, another learning rate, standardisation, a deeper network, more epochs) "
                    "raises the accuracy; the README's table shows what each change of the tuned recipe bought.",

    # ---- glasstorch.viz (the drawn labels stay symbols: shape, data, grad, net, out, ∂E/∂w)
    "viz.no_graph": "draw needs a tensor computed from tensors that require grad (it has no grad_fn); create the "
                    "inputs with requires_grad=True",
    "viz.not_a_tensor": "draw: expected a tensor, got {kind}",
    "viz.bad_params": "draw: params must be a dict of tensors or a module's named_parameters(), got {kind}",
    "viz.too_large": "draw: the graph has {count} nodes, more than max_nodes={limit}; a drawing that large cannot be "
                     "read. Draw a smaller piece (a single layer or block), or pass max_nodes={count} to draw it "
                     "anyway",
    "viz.bad_suffix": "save: {path} should end in .svg or .png",
    "viz.bad_renderer": "draw: renderer must be 'builtin', 'dot' or 'auto', got {renderer!r}",
    "viz.no_dot": "renderer='dot' needs Graphviz's dot program, which is not on the PATH; use the built-in renderer "
                  "(renderer='builtin') or install Graphviz",
    "viz.dot_failed": "Graphviz's dot failed: {error}",
    "viz.network_title": "The course's network: forward values on the neurons, dE/dw on the weights",
    "viz.explanation_title": "explain: the named quantities, ∂child/∂parent on each edge",
    "cli.explain.drawn": "drawing: {path}",

    # ---- explain in a notebook (HTML tables)
    "explain.html.forward": "Forward pass",
    "explain.html.locals": "Local derivatives",
    "explain.html.backward": "Backward pass: gradients of {output}",
    "explain.html.name": "name",
    "explain.html.formula": "formula",
    "explain.html.value": "value",
    "explain.html.local": "local derivative",
    "explain.html.leaf": "leaf",
    "explain.html.chain_rule": "∂{output}/∂leaf (chain rule)",
    "explain.html.autograd": "autograd",
    "explain.html.updated": "after one step",
}

from ._app_en import APP  # noqa: E402  (the trainer CLI's messages, kept in their own file)
from ._input_en import INPUT  # noqa: E402  (the trainer's bad-input messages about files, rows and model files)

MESSAGES.update(APP)
MESSAGES.update(INPUT)
