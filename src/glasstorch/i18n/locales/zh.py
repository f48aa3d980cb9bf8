"""简体中文（用语与课程《神经网络基础》一致：神经元、激活值、链式法则、学习率衰减、随机失活、批量归一化……）。"""

MESSAGES = {
    "language.probe": "中文",
    "cli.lang_help": "提示信息、tour、explain 和图表所用的语言：zh 或 en（默认看 $GLASSTORCH_LANG，其次看系统 locale）",
    "fonts.missing": "glasstorch：没有找到中文字体，图表暂用英文标注。要显示中文，可以 "
                     "pip install 'glasstorch[zh]'（Noto Sans CJK 字体，SIL 开源字体许可），或安装任意中文字体"
                     "（Debian/Ubuntu：apt-get install fonts-wqy-microhei 或 fonts-noto-cjk；Windows 和 macOS 自带"
                     "微软雅黑、黑体、苹方，无需安装）。",

    # ---- 课程配套命令
    "cli.companion": "glasstorch 课程配套工具：run、explain、tour",
    "cli.run.help": "用 glasstorch 代替 torch 运行一个 PyTorch 脚本",
    "cli.run.description": "像 `python SCRIPT.py ARGS...` 一样运行 SCRIPT.py，只是脚本里的 `import torch` 和 "
                           "`import torchsummary` 得到的是 glasstorch。",
    "cli.run.figures": "把 plt.show() 要显示的图保存成 PNG，放进目录 DIR",
    "cli.run.script": "要运行的 Python 脚本",
    "cli.run.args": "传给脚本的参数（即脚本的 sys.argv[1:]）",
    "cli.explain.help": "用具体数字讲解课程里的反向传播例子",
    "cli.explain.description": "按课程搭建 2-2-2 的 sigmoid 网络（float64），打印每个值、每个局部导数、"
                               "每个权重的链式法则，以及一步梯度下降（学习率 0.5）。",
    "cli.explain.digits": "显示的小数位数（默认 8）",
    "cli.explain.draw": "同时把带有这些数字的网络图画到 FILE（.svg 或 .png）",
    "cli.tour.help": "按课程章节逐章运行，打印结果并保存图表",
    "cli.tour.description": "按课程的九个小节逐章运行：每章打印关键结果、把图保存到 --out，最后列出写出的全部文件。",
    "cli.tour.out": "保存图表的目录（默认 ./tour）",
    "cli.tour.chapter": "只运行第 N 章（可重复使用）；章节列表见 --list",
    "cli.tour.list": "列出各章后退出",
    "cli.tour.epochs": "案例中各训练方案的训练轮次 epoch（默认用各方案自己的设置）",
    "cli.tour.data": "案例用的手机价格 CSV 文件",
    "cli.tour.source": "按章列出实现这一章的 glasstorch 代码（文件:行号），然后退出",

    # ---- glasstorch run
    "run.no_file": "glasstorch run：无法打开文件 {script}：文件不存在",
    "run.interrupted": "glasstorch run：已中断",
    "run.not_implemented": "glasstorch run：glasstorch 没有实现 {name}",
    "run.saved": "glasstorch run：已保存 {path}",

    # ---- tour：章节与课程小节一一对应
    "tour.title.neurons": "神经元",
    "tour.title.activations": "激活函数",
    "tour.title.initialisation": "参数初始化",
    "tour.title.building": "搭建神经网络",
    "tour.title.losses": "损失函数",
    "tour.title.optimisation": "网络优化方法",
    "tour.title.lr_decay": "学习率衰减",
    "tour.title.regularisation": "正则化",
    "tour.title.case_study": "案例：手机价格分类",
    "tour.heading": "第 {number} 章　{title}（课程：{course}）",
    "tour.list_line": "{number}. {title}（课程：{course}）",
    "tour.no_chapter": "glasstorch tour：没有第 {numbers} 章（章节为 1 到 {last}）",
    "tour.chapter_failed": "第 {number} 章运行失败",
    "tour.index_title": "本次 tour 的文件：{folder}",
    "tour.index_markdown_title": "# glasstorch 课程导览",
    "tour.index_file": "索引：{path}",
    "tour.failed_mark": "（失败）",
    "tour.no_figure": "（没有图）",
    "tour.source.line": "    {name:<58} {place}  （{lines} 行）",
    "tour.source.total": "阅读路线：{definitions} 个定义，共 {path} 行；整个包：{files} 个文件，共 {total} 行"
                         "（其余代码用于与 PyTorch 对齐、训练器、本课程助手、画图、保存与加载、翻译）。",
    "tour.source.guide": "请按顺序配合导读阅读：docs/READING.zh-CN.md（英文版：docs/READING.md）。",

    "ch1.layer": "{layer}：权重 weight 形状 {weight}，偏置 bias 形状 {bias}",
    "ch1.forward": "输入 x = {x}  →  内部状态值 z = W·x + b = {z}  →  激活值 a = sigmoid(z) = {a}",
    "ch1.collapse": "不加激活函数时：f_out = {out} = k0·x0 + k1·x1 + c = {line}（k0 = {k0}，k1 = {k1}，c = {c}），"
                    "多层网络等价于一个线性模型",
    "ch2.derivative": "{name} 在 [-20, 20] 上的最大导数：{largest}；x = -6 处导数 {minus_six}，x = 6 处导数 {six}",
    "ch2.softmax": "课程中 10 个分数经过 softmax 得到的概率：{probabilities}",
    "ch2.softmax_sum": "概率之和 {total}，预测类别 {predicted}",
    "ch3.first_row": "{label} 权重第一行 {row}",
    "ch3.limits": "Linear(5, 3) 的初始化范围：kaiming 均匀分布上限 √(6/fan_in) = {kaiming_uniform}，xavier 均匀分布"
                  "上限 √(6/(fan_in+fan_out)) = {xavier_uniform}；标准差：kaiming 正态分布 √(2/fan_in) = "
                  "{kaiming_normal}，xavier 正态分布 = {xavier_normal}",
    "ch4.shapes": "mydata 的形状 {data}，output 的形状 {output}；每行（softmax 输出）之和为 1：{sums}",
    "ch4.count": "{name}：{inputs} × {outputs} + {outputs} = {total}（权重 + 偏置）",
    "ch5.smooth_l1": "SmoothL1Loss: {smooth}   （-log 0.7 = {log}，即课程交叉熵例子中的损失值）",
    "ch6.iterations": "50000 个样本，batch_size = 256：每个 epoch 迭代 {per_epoch} 次（iteration），10 个 epoch 共 {ten} 次",
    "ch6.descent": "在这个例子上反复做梯度下降：E_total 从 {first} 降到 {last}（共 {steps} 步）",
    "ch6.two_steps": "从 w = 1 出发，对 loss = w²/2 更新两次，学习率 0.01（方括号里是课程给出的每次更新后的权重）",
    "ch6.step": "梯度 {grad}，权重 {weight}",
    "ch6.steps": "{name} 第 1 次：{first}；第 2 次：{second}  [课程：{course}]",
    "ch6.ewa": "指数加权平均 β = {beta}：相邻两天平均变化 {roughness}（原始温度为 {raw}）",
    "ch7.epoch_rate": "第 {epoch} 轮：{lr}",
    "ch7.rates": "{schedule}：{rates}",
    "ch8.before_dropout": "随机失活前（未失活 FC 层的输出）：{values}",
    "ch8.after_dropout": "随机失活后（训练模式）：{values}",
    "ch8.dropout_checks": "未被失活的值放大为 1/(1-0.4) = {scale} 倍：{scaled}；测试（eval）模式下 Dropout 不改变输入："
                          "{identity}",
    "ch8.batchnorm": "BatchNorm2d 每个通道的输出：均值 {mean}，标准差 {std}；λ（weight）{weight}，β（bias）{bias}",
    "ch8.running": "一个批次之后的 running_mean {mean}，running_var {var}（momentum 0.1）",

    "case.run_again": "准备好数据后再运行这一章：glasstorch tour --chapter 9 [--data 文件路径]",
    "case.data": "{path}：{rows} 行，{features} 个特征，目标列 '{target}'，类别 {classes}；训练集 {train} 行，"
                 "测试集 {test} 行",
    "case.recipe": "训练方案 {recipe}：{config}",
    "case.accuracy": "训练方案 {recipe}：训练 {epochs} 个 epoch（{seconds} 秒）后，在 {test} 行测试集上的准确率 {accuracy}",
    "case.course_reports": "；课程给出的准确率是 0.6425（同样的代码在 PyTorch 2.13 上是 0.655）",
    "case.full_trainer": "完整的训练工具（会写出 metrics.json、混淆矩阵和模型文件）：glasstorch train --recipe course|tuned",

    # ---- explain：课程的反向传播例子
    "explain.worked_example": "课程中的反向传播例子：2-2-2 网络，激活函数为 sigmoid，输入 i1 = 0.05、i2 = 0.10，"
                              "目标值 0.01、0.99，E_total = Σ ½(target - out)²，学习率 η = 0.5（按 float64 计算）",
    "explain.forward": "前向传播：逐层计算每个值，以及它对上一层各量的局部导数（由该节点的 backward 求出）",
    "explain.backward": "反向传播：用链式法则，把从 {output} 到每个参数的所有路径相乘后再相加",
    "explain.autograd_agrees": "（autograd 的 backward 求出的梯度与此相同：最大差异 {worst}）",
    "explain.update": "参数更新（梯度下降，学习率 η = {lr}）：w⁺ = w - η × ∂{output}/∂w",
    "explain.no_path": "（从 {output} 到 {leaf} 没有路径）",
    "explain.too_many_paths": "（路径超过 {limit} 条：只显示它们的和）",
    "explain.no_grad_fn": "explain 需要一个由 requires_grad 的张量计算出来的张量（这个张量没有 grad_fn）",
    "explain.not_scalar": "explain 处理的是由标量组成的计算图，和课程里画的一样；这里出现了形状为 {shape} 的张量"
                          "（请把网络写成每个值一个张量）",
    "explain.graph_freed": "explain 需要计算图，而 backward 之后计算图已被释放：请在 output.backward() 之前调用 "
                           "explain(...)，或者用 output.backward(retain_graph=True)",
    "explain.not_tensor": "explain：{name} 不是张量",
    "explain.not_in_graph": "explain：{name} 不在输出的计算图中",

    # ---- 图表：标题、坐标轴、图例
    "plots.activations_title": "激活函数图像和导数图像（导数由 f(x).sum().backward() 之后的 x.grad 得到）",
    "plots.autograd_derivative": "{name}'(x)，autograd 求导",
    "plots.weights": "权重",
    "plots.limit": "上下限 ±{limit}",
    "plots.limits_0_1": "上下限 0 和 1",
    "plots.measured_std": "实际标准差 {std}",
    "plots.weight_value": "权重值",
    "plots.density": "概率密度",
    "plots.init_title": "nn.init 初始化 Linear({fan_in}, {fan_out}) 的权重：fan_in = {fan_in}，fan_out = {fan_out}",
    "plots.epoch": "轮次 epoch",
    "plots.learning_rate": "学习率",
    "plots.lr_title": "学习率衰减（optim.lr_scheduler，每个 epoch 调用一次 scheduler.step()）",
    "plots.temperature_label": "实际温度 Y_t",
    "plots.ewa_label": "指数加权平均 S_t，β = {beta}",
    "plots.day": "天",
    "plots.temperature": "温度",
    "plots.ewa_title": "指数加权平均：β 越大，曲线越平缓",
    "plots.ravine": "峡谷 f = x²/20 + y²",
    "plots.saddle": "鞍点 f = x²/2 + y⁴/4 - y²/2（鞍点在原点，极小值在 y = ±1）",
    "plots.start": "起点",
    "plots.steps_lr": "{steps} 步，基础学习率 {lr}",
    "plots.paths_title": "梯度下降的优化方法的路径：SGD、动量法（β = 0.9）、AdaGrad、RMSProp（α = 0.9）、Adam",
    "plots.training_curves": "训练曲线",
    "plots.case_study_curves": "手机价格分类，训练方案 '{recipe}'：测试集准确率 {accuracy}",
    "plots.train_loss": "训练集损失",
    "plots.test_loss": "测试集损失",
    "plots.train_accuracy": "训练集准确率",
    "plots.test_accuracy": "测试集准确率",
    "plots.loss": "损失",
    "plots.accuracy": "准确率",
    "plots.per_epoch": "每个 epoch 的{quantity}",
    "plots.loss_cut": "{title}（纵轴截断于 {top}；第 1 个 epoch 达到 {first}）",
    "plots.no_activation": "不加激活函数：out(hidden(x))",
    "plots.one_layer": "一层线性模型 k·x + c（k = {k}，c = {c}）",
    "plots.input_x": "输入 x",
    "plots.network_output": "网络输出",
    "plots.collapse_title": "不加激活函数时，两个线性层等价于一个线性模型",
    "plots.parameters_per_layer": "每层的参数量",
    "plots.parameters_case_study": "案例中的网络 20→128→256→4",
    "plots.weights_bar": "权重 w（输入数 × 输出数）",
    "plots.biases_bar": "偏置 b（输出数）",
    "plots.parameters": "参数量",
    "plots.parameters_total": "{title}：共 {total} 个参数",
    "plots.gradient_of": "{name} 的梯度",
    "plots.regression_losses": "回归任务的损失函数",
    "plots.their_gradients": "它们的梯度（autograd）\nMSE 随误差增大，L1 在 0 点跳变",
    "plots.error_e": "误差 e = 预测值 - 真实值",
    "plots.loss_value": "损失",
    "plots.dloss": "损失对预测值的导数",
    "plots.bce_target_1": "二分类交叉熵，真实值 1：-log p",
    "plots.bce_target_0": "二分类交叉熵，真实值 0：-log(1 - p)",
    "plots.course_log": "课程：-log 0.7 = 0.357",
    "plots.predicted_p": "预测概率 p",
    "plots.bce_title": "二分类交叉熵损失\n-log(真实类别的预测概率)",
    "plots.e_total": "E_total：第 1 步 {first}，第 {steps} 步 {last}",
    "plots.gd_step_lr": "梯度下降步数（学习率 0.5）",
    "plots.e_total_log": "E_total（对数坐标）",
    "plots.out_target": "{name}（目标值 {target}）",
    "plots.outputs_approach": "输出逐渐接近目标值",
    "plots.gd_step": "梯度下降步数",
    "plots.output": "输出",
    "plots.backprop_title": "课程例子上的反向传播 + 梯度下降",
    "plots.after_dropout": "随机失活后的值",
    "plots.dropout_title": "Dropout(p={p}) 作用于 ones(16, 32)，训练模式\n失活 {zeroed}，其余放大 1/(1-p) = {scale} 倍",
    "plots.feature": "特征",
    "plots.sample": "样本",
    "plots.feature_i": "特征 {i}",
    "plots.before_bn": "批量归一化之前\n各特征的均值和尺度不同",
    "plots.after_bn": "批量归一化之后（训练模式）\n每个特征均值为 0、方差为 1",
    "plots.value": "数值",
    "plots.count": "个数",
    "plots.regularisation_title": "正则化：随机失活 Dropout 与批量归一化",
    "plots.train_mean": "训练集（各批次的平均）",
    "plots.held_out": "测试集",
    "plots.train": "训练集",
    "plots.predicted": "预测类别",
    "plots.true": "真实类别",

    # ---- examples/*.py
    "ex.saved": "已保存 {path}",
    "ex01.by_hand": "手工计算    =",
    "ex01.two_layers": "两个线性层：{two}   一个线性层 k·x + c：{one}",
    "ex01.with_relu": "中间加上 ReLU 激活函数：{value}（一般不再等于 k·x + c，网络引入了非线性）",
    "ex02.formula": "（导数公式：{formula}）",
    "ex02.or": "{left} 或 {right}",
    "ex03.uniform": "1. 均匀分布随机初始化 (0, 1)",
    "ex03.constant": "2. 固定初始化 5",
    "ex03.zeros": "3. 全0初始化",
    "ex03.ones": "4. 全1初始化",
    "ex03.normal": "5. 正态分布随机初始化 (0, 1)",
    "ex03.kaiming_normal": "6. kaiming 正态分布初始化",
    "ex03.kaiming_uniform": "6. kaiming 均匀分布初始化",
    "ex03.xavier_normal": "7. xavier 正态分布初始化",
    "ex03.xavier_uniform": "7. xavier 均匀分布初始化",
    "ex03.kaiming": "kaiming：标准差 √(2/fan_in) = {std}，均匀分布上限 √(6/fan_in) = {limit}",
    "ex03.xavier": "xavier： 标准差 √(2/(fan_in+fan_out)) = {std}，均匀分布上限 √(6/(fan_in+fan_out)) = {limit}",
    "ex04.parameters": "=====模型参数 w 和 b=====",
    "ex05.gradient": "梯度：",
    "ex06.hook": "反向传播到达 out_o1 时的梯度 ∂E/∂out_o1 = {grad}",
    "ex06.autograd": "autograd 求出的梯度：w5.grad = {w5}  w1.grad = {w1}",
    "ex07.step": "{name} 第{step}次：梯度 w.grad: {grad}，更新后的权重: {weight}",
    "ex08.change": "相邻两天平均变化 {change}（β 越大，曲线越平缓）",
    "ex10.before": "未失活 FC 层的输出结果：",
    "ex10.after": "失活后 FC 层的输出结果（部分值置 0，其余乘以 1/(1-0.4) = 1.6667）：",
    "ex10.eval": "测试（eval）模式下：",
    "ex11.mean_std": "每个通道的均值 {mean}，标准差 {std}",
    "ex12.epoch": "epoch: {epoch} 损失: {loss}，耗时: {seconds}s",
    "ex12.shape": "输入特征数: {features}  分类个数: {classes}",

    # ---- 手机价格数据
    "dataset.downloaded": "已从 {url} 下载手机价格 CSV（sha256 校验通过），保存到 {path}",
    "dataset.other_bytes": "{url}：下载到的文件内容不对（sha256 {got}…，应为 {expected}…），已丢弃",
    "dataset.not_found": "没有找到课程的手机价格数据 CSV（mobile_price_train.csv，2000 行，21 列）。",
    "dataset.looked_in": "找过这些位置：",
    "dataset.download_failure": "下载：{failure}",
    "dataset.cache": "{path}（缓存）",
    "dataset.checksum_mismatch": "：校验和不符，已忽略",
    "dataset.offline": "已跳过（离线模式）",
    "dataset.put_it_here": "请把文件放到 ./data/mobile_price_train.csv（也可以用课程的文件名 ./data/手机价格预测.csv），"
                        "或者用 --data 文件路径 指定，或者设置环境变量 GLASSTORCH_DATA=文件路径。",
    "dataset.what_it_is": "它就是课程里的 手机价格预测.csv，即 Kaggle 上 'Mobile Price Classification' 的 train.csv；"
                       "公开的副本：",
    "dataset.mirror_hint": "如果上面的地址访问不了（国内网络常见），可以把 GLASSTORCH_DATA_URL 设为任意一份副本的地址"
                        "（镜像站、内网服务器都可以），只有 sha256 一致才会被采用。",
    "dataset.sha256": "文件的 sha256 是 {sha256}。",
    "dataset.synthetic": "没有数据也可以先试一试：glasstorch train --synthetic 2000（用合成数据）",
    "dataset.no_such_file": "文件不存在：{path}",
    "dataset.env_names_no_file": "GLASSTORCH_DATA={value} 指向的文件不存在",

    # ---- 每章的要点（老师的讲法）
    "ch1.summary": "要点：神经元先计算内部状态值 z = W·x + b，再经过激活函数得到激活值 a = f(z)。不加激活函数，"
                   "无论叠多少层都等价于一个线性模型；激活函数给网络引入了非线性因素，网络才能逼近复杂的函数。",
    "ch2.summary": "要点：sigmoid 的导数最大只有 0.25，x 超出 [-6, 6] 后几乎为 0，网络一深就容易出现梯度消失，"
                   "所以隐藏层优先选择 ReLU（x > 0 时导数恒为 1）。输出层：二分类用 sigmoid，多分类用 softmax"
                   "（输出的概率之和为 1）。",
    "ch3.summary": "要点：kaiming 和 xavier 按 fan_in（和 fan_out）确定权重的范围，让每层输出的方差保持稳定："
                   "sigmoid/tanh 配 xavier 初始化，ReLU 配 kaiming 初始化；浅层网络用随机初始化即可。全0、全1"
                   "和固定值初始化会让同一层的神经元完全一样。",
    "ch4.summary": "要点：一个线性层的参数量 = 输入数 × 输出数（权重）+ 输出数（偏置）；课程中的模型共有 "
                   "12 + 8 + 6 = 26 个参数。",
    "ch5.summary": "要点：多分类任务用 nn.CrossEntropyLoss（内部包含 softmax，传入未归一化的分数）；二分类任务用 "
                   "nn.BCELoss（传入 sigmoid 输出的概率）；回归任务用 MAE（L1）、MSE（L2）或 Smooth L1：Smooth L1 "
                   "在 [-1, 1] 之间是 L2 损失，之外是 L1 损失，既解决了 L1 在 0 点不光滑的问题，又避免了离群点的梯度爆炸。",
    "ch6.summary": "要点：反向传播就是链式法则：误差对某个权重的偏导，等于从输出到这个权重的每条路径上局部导数的乘积"
                   "之和，然后按 w⁺ = w - η × ∂E/∂w 更新参数。动量法用指数加权平均平滑梯度，AdaGrad 和 RMSProp "
                   "根据累计的梯度平方调整学习率，Adam 把两者结合起来。",
    "ch7.summary": "要点：等间隔学习率衰减每隔 step_size 个 epoch 把学习率乘以 gamma，指定间隔学习率衰减在 milestones "
                   "指定的轮次乘以 gamma，指数学习率衰减每个 epoch 都乘以 gamma（lr = lr × gamma^epoch）。",
    "ch8.summary": "要点：训练时随机失活让每个值以概率 p 置 0，其余的乘以 1/(1-p)，使期望不变；测试时不做失活。"
                   "批量归一化把每个通道标准化为均值 0、方差 1，再用可学习的 λ（weight）和 β（bias）做线性变换，"
                   "并记录 running_mean、running_var 供测试时使用。两者都能缓解过拟合。",
    "case.summary": "要点：案例的整体流程是 构建数据集 → 构建分类网络模型 → 模型训练 → 模型评估。课程作业里的改进"
                    "（优化方法改为 Adam、调整学习率、对数据进行标准化、增加网络深度、调整训练轮次）都能提高准确率；"
                    "README 里的表格给出了 tuned 方案每一步改动带来的提升。",

    # ---- glasstorch.viz (the drawn labels stay symbols: shape, data, grad, net, out, ∂E/∂w)
    "viz.no_graph": "draw 需要一个由 requires_grad 的张量计算出来的张量（它没有 grad_fn）；"
                    "请用 requires_grad=True 创建输入",
    "viz.not_a_tensor": "draw：需要一个张量，得到的是 {kind}",
    "viz.bad_params": "draw：params 应当是张量的 dict 或模块的 named_parameters()，得到的是 {kind}",
    "viz.too_large": "draw：这个图有 {count} 个节点，超过 max_nodes={limit}；这么大的图画出来也看不清。请画其中"
                     "一小部分（一层或一个模块），或者传入 max_nodes={count} 强制画出",
    "viz.bad_suffix": "save：{path} 的扩展名应为 .svg 或 .png",
    "viz.bad_renderer": "draw：renderer 只能是 'builtin'、'dot' 或 'auto'，得到的是 {renderer!r}",
    "viz.no_dot": "renderer='dot' 需要 Graphviz 的 dot 程序，但 PATH 里找不到；"
                  "请使用内置渲染（renderer='builtin'），或安装 Graphviz",
    "viz.dot_failed": "Graphviz 的 dot 运行失败：{error}",
    "viz.network_title": "课程里的网络：神经元上是前向计算的值，权重上是 dE/dw",
    "viz.explanation_title": "explain：各个有名字的量，每条边上是 ∂子节点/∂父节点",
    "cli.explain.drawn": "已画出：{path}",

    # ---- explain in a notebook (HTML tables)
    "explain.html.forward": "前向传播",
    "explain.html.locals": "局部导数",
    "explain.html.backward": "反向传播：{output} 的梯度",
    "explain.html.name": "名称",
    "explain.html.formula": "公式",
    "explain.html.value": "值",
    "explain.html.local": "局部导数",
    "explain.html.leaf": "叶子节点",
    "explain.html.chain_rule": "∂{output}/∂叶子（链式法则）",
    "explain.html.autograd": "autograd",
    "explain.html.updated": "更新一步后",
}

from ._app_zh import APP  # noqa: E402  (the trainer CLI's messages, kept in their own file)
from ._input_zh import INPUT  # noqa: E402  (the trainer's bad-input messages about files, rows and model files)

MESSAGES.update(APP)
MESSAGES.update(INPUT)
