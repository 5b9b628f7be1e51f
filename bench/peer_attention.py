#!/usr/bin/env python3
"""PyTorch peer of language.AttentionDecoder (issue 15): soft attention over VGG16's conv5 grid.

Model: grid features a (B x L x D, standardised per channel); h_0 = tanh(mean_i a_i W_init_h + b),
c_0 = tanh(mean_i a_i W_init_c + b); pa = a W_a + b_a once per image; at each step t
e_t = tanh(pa + h_{t-1} W_h) w, alpha_t = softmax_i(e_t), z_t = sigmoid(h_{t-1} W_b + b_b) * sum_i alpha_ti a_i,
one nn.LSTMCell over [embedding(w_t), z_t], logits = dropout(h_t) W_out + b_out.
Loss = cross-entropy over the targets that are not PAD (one mean over all of them) + lambda * mean_b sum_i
(1 - sum_t alpha_ti)^2, where t runs over the same steps (those whose target is not PAD), as the
Show, Attend and Tell tutorial's decode lengths do.

Usage:
  peer_attention.py THREADS STEPS [DROPOUT]  timed training at the issue's size (grid 196x512, attention 512,
      embedding 512, hidden 512, vocabulary 10,000, batch 100 x 17 steps, Adam, clip_grad_norm 5, dropout 0.5
      unless given), then beam-3 inference; prints one JSON line with seconds_per_step, tokens_per_second
      (100 x 17 / seconds_per_step), coco_epoch_minutes (one epoch of Karpathy's train+restval at that rate) and
      beam3_seconds_per_image (median over 10 images after a warm-up one, each beam keeping its attention map per
      word; always 16 model steps: see beam_search)
  peer_attention.py --reference OUT.json     the tiny fixed case below, for checking the Java decoder
  peer_attention.py --selftest               gradcheck in double; the reference JSON recomputed by a second,
                                             independent implementation of the formulas above; beam search
                                             against teacher forcing; exits 1 on any failure

Reference JSON (B=2, L=4, D=3, A=5, E=4, H=6, V=7, T=3, dropout 0, float64; matrices are row-major nested
lists, [rows, cols] below; each weight is used as x·W with x a row):
  "sizes": {"batch", "gridSize" (L), "featureSize" (D), "attentionSize" (A), "embeddingSize" (E),
            "hiddenSize" (H), "vocabularySize" (V), "steps" (T)}
  "weights": wordEmbedding [V,E], inputWeights [E,4H], recurrentWeights [H,4H], contextWeights [D,4H],
      gateBias [1,4H] (the LSTM's one bias), outputWeights [H,V], outputBias [1,V],
      attentionFeatureWeights [D,A], attentionFeatureBias [1,A], attentionHiddenWeights [H,A],
      attentionVector [A,1], gateWeights [H,D] (beta), gateWeightsBias [1,D], initHiddenWeights [D,H],
      initHiddenBias [1,H], initCellWeights [D,H], initCellBias [1,H].
      The 4H columns are four blocks of H in the order input, forget, output, candidate (PyTorch's LSTMCell
      keeps i, f, g, o; this file has been converted).
  "inputs": features [B, L*D] (row b is a_b's L grid cells one after another, D values each; used as given:
      standardisation mean 0, scale 1), sequences [B][T+1] (START=1 ... END=2, padded with PAD=0; step t reads
      sequences[b][t] and predicts sequences[b][t+1]), lambda
  "outputs": loss, crossEntropy, attentionPenalty, alphas [B][T][L] (every step's, masked ones included),
      gradients {same names and shapes as "weights"} of loss
"""
import copy
import json
import statistics
import sys
import tempfile
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, START, END, UNK = 0, 1, 2, 3  # language.Vocabulary's reserved ids
MAX_WORDS, BEAM = 16, 3
COCO_TARGETS = 566_747 * 11.5  # Karpathy train+restval captions x (~10.5 words + END), as DecoderTrainingBenchmark


class AttentionDecoder(nn.Module):
    def __init__(self, vocabulary, embedding, hidden, feature, attention, dropout):
        super().__init__()
        self.embed = nn.Embedding(vocabulary, embedding)
        self.init_h = nn.Linear(feature, hidden)
        self.init_c = nn.Linear(feature, hidden)
        self.att_feature = nn.Linear(feature, attention)
        self.att_hidden = nn.Linear(hidden, attention, bias=False)  # pa carries the attention bias
        self.att_vector = nn.Linear(attention, 1, bias=False)
        self.gate = nn.Linear(hidden, feature)
        self.cell = nn.LSTMCell(embedding + feature, hidden)
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(hidden, vocabulary)

    def start(self, grid):
        mean = grid.mean(dim=1)
        return torch.tanh(self.init_h(mean)), torch.tanh(self.init_c(mean)), self.att_feature(grid)

    def attend(self, grid, projected, h):
        scores = self.att_vector(torch.tanh(projected + self.att_hidden(h).unsqueeze(1))).squeeze(2)
        alpha = torch.softmax(scores, dim=1)
        context = torch.bmm(alpha.unsqueeze(1), grid).squeeze(1)
        return alpha, torch.sigmoid(self.gate(h)) * context

    def forward(self, grid, inputs):
        """Teacher forcing: logits [B, T, V] and alphas [B, T, L]."""
        h, c, projected = self.start(grid)
        embedded = self.embed(inputs)
        hiddens, alphas = [], []
        for t in range(inputs.size(1)):
            alpha, z = self.attend(grid, projected, h)
            h, c = self.cell(torch.cat([embedded[:, t], z], dim=1), (h, c))
            hiddens.append(h)
            alphas.append(alpha)
        # the output layer once over all steps: one large product instead of T small ones
        logits = self.out(self.drop(torch.stack(hiddens, dim=1)))
        return logits, torch.stack(alphas, dim=1)


def loss_of(logits, alphas, targets, lam):
    """Masked mean cross-entropy + lam * mean_b sum_i (1 - sum_t alpha_ti)^2 over the unmasked steps."""
    cross_entropy = F.cross_entropy(logits.reshape(-1, logits.size(2)), targets.reshape(-1), ignore_index=PAD)
    mask = (targets != PAD).to(alphas.dtype).unsqueeze(2)
    penalty = ((1 - (alphas * mask).sum(dim=1)) ** 2).sum(dim=1).mean()
    return cross_entropy + lam * penalty, cross_entropy, penalty


def beam_search(model, grid):
    """Beam 3 for one image, the way language.CaptionGenerator.beamSearch goes: each live beam's END is a finished
    candidate, PAD/START/UNK never chosen, the 3 best other extensions stay live. Unlike it, never stops early:
    an untrained model's finished captions would stop it within a few words, so every image costs 16 model steps,
    the most a caption of up to 16 words can. Returns (words, log-probability, finished, attention map): the map
    has a row per model step that led to the caption, its END included when finished."""
    h, c, projected = model.start(grid)
    words = torch.full((1, 1), START, dtype=torch.long)
    maps = grid.new_zeros((1, 0, grid.size(1)))
    scores = grid.new_zeros(1)
    best = (None, float("-inf"), False, None)
    for _ in range(MAX_WORDS):
        rows = words.size(0)
        alpha, z = model.attend(grid.expand(rows, -1, -1), projected.expand(rows, -1, -1), h)
        h, c = model.cell(torch.cat([model.embed(words[:, -1]), z], dim=1), (h, c))
        log_probs = torch.log_softmax(model.out(h), dim=1)
        maps = torch.cat([maps, alpha.unsqueeze(1)], dim=1)
        ended = scores + log_probs[:, END]
        top = int(ended.argmax())
        if float(ended[top]) > best[1]:
            best = (words[top, 1:].tolist(), float(ended[top]), True, maps[top].clone())
        log_probs[:, [PAD, START, END, UNK]] = float("-inf")
        candidates = (scores.unsqueeze(1) + log_probs).view(-1)
        scores, flat = candidates.topk(BEAM)
        parents, chosen = flat // log_probs.size(1), flat % log_probs.size(1)
        words = torch.cat([words[parents], chosen.unsqueeze(1)], dim=1)
        h, c, maps = h[parents], c[parents], maps[parents]
    if float(scores[0]) > best[1]:  # an unfinished beam beats every finished one
        best = (words[0, 1:].tolist(), float(scores[0]), False, maps[0])
    return best


def timed(threads, steps, dropout):
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    vocabulary, embedding, hidden, feature, attention, grid_size, batch, time_steps = \
        10_000, 512, 512, 512, 512, 196, 100, 17
    model = AttentionDecoder(vocabulary, embedding, hidden, feature, attention, dropout)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    grid = torch.randn(batch, grid_size, feature)  # standardised per channel: mean 0, scale 1
    middle = torch.randint(UNK + 1, vocabulary, (batch, time_steps - 1))
    sequences = torch.cat([torch.full((batch, 1), START), middle, torch.full((batch, 1), END)], dim=1)
    inputs, targets = sequences[:, :-1], sequences[:, 1:]

    def step():
        optimizer.zero_grad()
        logits, alphas = model(grid, inputs)
        loss, _, _ = loss_of(logits, alphas, targets, 1.0)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        optimizer.step()

    step()  # warm-up
    times = []
    for _ in range(steps):
        begin = time.perf_counter()
        step()
        times.append(time.perf_counter() - begin)
    seconds = statistics.median(times)

    model.eval()
    beam_times, lengths = [], []
    with torch.no_grad():
        for image in range(11):
            one = torch.randn(1, grid_size, feature)
            begin = time.perf_counter()
            words, _, finished, attention_map = beam_search(model, one)
            if image > 0:  # the first image is the warm-up
                beam_times.append(time.perf_counter() - begin)
                lengths.append(len(words))
            assert attention_map.shape == (len(words) + finished, grid_size)
    print(json.dumps({"peer": f"pytorch {torch.__version__}", "threads": threads, "vocabulary": vocabulary,
                      "hidden": hidden, "embedding": embedding, "attention": attention,
                      "grid": f"{grid_size}x{feature}", "batch": batch, "steps_per_sequence": time_steps,
                      "dropout": dropout, "seconds_per_step": round(seconds, 3),
                      "tokens_per_second": round(batch * time_steps / seconds, 1),
                      "coco_epoch_minutes": round(COCO_TARGETS / (batch * time_steps / seconds) / 60),
                      "beam3_seconds_per_image": round(statistics.median(beam_times), 4),
                      "beam3_model_steps": MAX_WORDS, "beam3_caption_words": statistics.median(lengths)}))


TINY = {"batch": 2, "gridSize": 4, "featureSize": 3, "attentionSize": 5, "embeddingSize": 4,
        "hiddenSize": 6, "vocabularySize": 7, "steps": 3}
TINY_SEQUENCES = [[START, 4, 5, END], [START, 6, END, PAD]]  # the second is padded: its last step is masked


def tiny_model():
    torch.manual_seed(15)
    s = TINY
    model = AttentionDecoder(s["vocabularySize"], s["embeddingSize"], s["hiddenSize"], s["featureSize"],
                             s["attentionSize"], 0.0).double()
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.normal_(0, 0.5)
        model.cell.bias_hh.zero_()  # the Java cell has one bias: bias_ih carries it alone
    grid = torch.randn(s["batch"], s["gridSize"], s["featureSize"], dtype=torch.float64)
    return model, grid, torch.tensor(TINY_SEQUENCES)


def gate_order(hidden):
    """Rows of PyTorch's i, f, g, o blocks taken as input, forget, output, candidate."""
    i, f, g, o = (torch.arange(k * hidden, (k + 1) * hidden) for k in range(4))
    return torch.cat([i, f, o, g])


def as_named(model, of):
    """The model's parameters (of=lambda p: p) or gradients (of=lambda p: p.grad) under the Java names."""
    e = TINY["embeddingSize"]
    order = gate_order(TINY["hiddenSize"])
    cell_input = of(model.cell.weight_ih)[order]
    return {
        "wordEmbedding": of(model.embed.weight),
        "inputWeights": cell_input[:, :e].t(),
        "recurrentWeights": of(model.cell.weight_hh)[order].t(),
        "contextWeights": cell_input[:, e:].t(),
        "gateBias": of(model.cell.bias_ih)[order].unsqueeze(0),
        "outputWeights": of(model.out.weight).t(),
        "outputBias": of(model.out.bias).unsqueeze(0),
        "attentionFeatureWeights": of(model.att_feature.weight).t(),
        "attentionFeatureBias": of(model.att_feature.bias).unsqueeze(0),
        "attentionHiddenWeights": of(model.att_hidden.weight).t(),
        "attentionVector": of(model.att_vector.weight).t(),
        "gateWeights": of(model.gate.weight).t(),
        "gateWeightsBias": of(model.gate.bias).unsqueeze(0),
        "initHiddenWeights": of(model.init_h.weight).t(),
        "initHiddenBias": of(model.init_h.bias).unsqueeze(0),
        "initCellWeights": of(model.init_c.weight).t(),
        "initCellBias": of(model.init_c.bias).unsqueeze(0),
    }


def reference(path):
    model, grid, sequences = tiny_model()
    lam = 1.0
    logits, alphas = model(grid, sequences[:, :-1])
    loss, cross_entropy, penalty = loss_of(logits, alphas, sequences[:, 1:], lam)
    loss.backward()
    document = {
        "sizes": TINY,
        "weights": {k: v.detach().tolist() for k, v in as_named(model, lambda p: p).items()},
        "inputs": {"features": grid.reshape(grid.size(0), -1).tolist(), "sequences": sequences.tolist(),
                   "lambda": lam},
        "outputs": {"loss": loss.item(), "crossEntropy": cross_entropy.item(), "attentionPenalty": penalty.item(),
                    "alphas": alphas.detach().tolist(),
                    "gradients": {k: v.tolist() for k, v in as_named(model, lambda p: p.grad).items()}},
    }
    with open(path, "w") as out:
        json.dump(document, out)


def loss_from_document(weights, document):
    """The loss written out from the formulas, straight from the JSON's [in, out] matrices and i, f, o, g blocks,
    sharing no code with AttentionDecoder: what the Java decoder is expected to compute."""
    s, inputs = document["sizes"], document["inputs"]
    w = weights
    L, D, H = s["gridSize"], s["featureSize"], s["hiddenSize"]
    grid = torch.tensor(inputs["features"], dtype=torch.float64).view(-1, L, D)
    sequences = inputs["sequences"]
    mean = grid.mean(dim=1)
    h = torch.tanh(mean @ w["initHiddenWeights"] + w["initHiddenBias"])
    c = torch.tanh(mean @ w["initCellWeights"] + w["initCellBias"])
    pa = grid @ w["attentionFeatureWeights"] + w["attentionFeatureBias"]
    total, tokens = 0.0, 0
    coverage = torch.zeros(grid.size(0), L, dtype=torch.float64)
    for t in range(s["steps"]):
        e = (torch.tanh(pa + (h @ w["attentionHiddenWeights"]).unsqueeze(1)) @ w["attentionVector"]).squeeze(2)
        alpha = torch.exp(e - e.max(dim=1, keepdim=True).values)
        alpha = alpha / alpha.sum(dim=1, keepdim=True)
        z = torch.sigmoid(h @ w["gateWeights"] + w["gateWeightsBias"]) * (alpha.unsqueeze(2) * grid).sum(dim=1)
        x = w["wordEmbedding"][torch.tensor([row[t] for row in sequences])]
        gates = x @ w["inputWeights"] + h @ w["recurrentWeights"] + z @ w["contextWeights"] + w["gateBias"]
        i, f, o, g = gates[:, :H], gates[:, H:2 * H], gates[:, 2 * H:3 * H], gates[:, 3 * H:]
        c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
        h = torch.sigmoid(o) * torch.tanh(c)
        scores = h @ w["outputWeights"] + w["outputBias"]
        log_probs = scores - torch.logsumexp(scores, dim=1, keepdim=True)
        targets = torch.tensor([row[t + 1] for row in sequences])
        real = (targets != PAD).double()
        total = total - (real * log_probs.gather(1, targets.unsqueeze(1)).squeeze(1)).sum()
        tokens += int(real.sum())
        coverage = coverage + real.unsqueeze(1) * alpha
    return total / tokens + inputs["lambda"] * ((1 - coverage) ** 2).sum(dim=1).mean()


def check_document(path):
    """Failures (as text) between a reference JSON and the independent computation of its loss and gradients."""
    with open(path) as source:
        document = json.load(source)
    weights = {k: torch.tensor(v, dtype=torch.float64, requires_grad=True) for k, v in document["weights"].items()}
    loss = loss_from_document(weights, document)
    loss.backward()
    failures = []
    if abs(loss.item() - document["outputs"]["loss"]) > 1e-12:
        failures.append(f"loss {document['outputs']['loss']} written, {loss.item()} recomputed")
    for name, expected in document["outputs"]["gradients"].items():
        gap = (weights[name].grad - torch.tensor(expected, dtype=torch.float64)).abs().max().item()
        if gap > 1e-12:
            failures.append(f"gradient of {name} differs by {gap:.3g}")
    if set(document["weights"]) != set(document["outputs"]["gradients"]):
        failures.append("weights and gradients name different matrices")
    return failures


def selftest():
    model, grid, sequences = tiny_model()
    names = [name for name, _ in model.named_parameters() if name != "cell.bias_hh"]
    parameters = dict(model.named_parameters())

    def loss_given(grid_values, *values):
        override = dict(zip(names, values))
        logits, alphas = torch.nn.utils.stateless.functional_call(model, override, (grid_values, sequences[:, :-1]))
        return loss_of(logits, alphas, sequences[:, 1:], 1.0)[0]

    grid = grid.clone().requires_grad_(True)
    ok = torch.autograd.gradcheck(loss_given, (grid, *[parameters[n] for n in names]), raise_exception=False)
    print(f"gradcheck in double over the features and {len(names)} parameters: {'passed' if ok else 'FAILED'}")
    with tempfile.NamedTemporaryFile(suffix=".json") as file:
        reference(file.name)
        failures = check_document(file.name)
    print("reference JSON against the formulas written out: " + ("passed" if not failures else "; ".join(failures)))
    beam_failures = check_beam(model, grid.detach())
    print("beam search against teacher forcing: " + ("passed" if not beam_failures else "; ".join(beam_failures)))
    return 0 if ok and not failures and not beam_failures else 1


def check_beam(model, grid):
    """The beams' bookkeeping: the caption found must score, and attend, as teacher forcing on it does. The tiny
    model as it is ends at once; a copy that cannot afford END keeps 16 words whose beams swap parents."""
    endless = copy.deepcopy(model)
    with torch.no_grad():
        endless.out.bias.zero_()
        endless.out.bias[END] = -100
        endless.out.bias[[PAD, START, UNK]] = 3  # likely, so that leaving them out is tested
        endless.out.weight.mul_(3)
        endless.embed.weight.mul_(3)
    failures = []
    with torch.no_grad():
        for label, decoder in (("tiny", model), ("endless", endless)):
            for image in range(grid.size(0)):
                one = grid[image:image + 1]
                words, score, finished, attention_map = beam_search(decoder, one)
                read = [START] + words if finished else [START] + words[:-1]
                targets = torch.tensor([words + [END] if finished else words])
                logits, alphas = decoder(one, torch.tensor([read]))
                expected = torch.log_softmax(logits, dim=2).gather(2, targets.unsqueeze(2)).sum().item()
                where = f"{label} model, image {image} ({len(words)} words)"
                if abs(expected - score) > 1e-9:
                    failures.append(f"{where}: score {score}, teacher forcing {expected}")
                if alphas.shape[1:] != attention_map.shape or (alphas[0] - attention_map).abs().max() > 1e-12:
                    failures.append(f"{where}: attention map differs from teacher forcing's")
                if any(word in (PAD, START, END, UNK) for word in words):
                    failures.append(f"{where}: a reserved id among the words {words}")
        if all(len(beam_search(endless, grid[i:i + 1])[0]) < MAX_WORDS for i in range(grid.size(0))):
            failures.append("the endless model ended its captions: the check no longer covers 16 words")
    return failures


if __name__ == "__main__":
    if sys.argv[1:2] == ["--reference"] and len(sys.argv) == 3:
        reference(sys.argv[2])
    elif sys.argv[1:] == ["--selftest"]:
        sys.exit(selftest())
    elif len(sys.argv) in (3, 4) and not sys.argv[1].startswith("-"):
        timed(int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]) if len(sys.argv) == 4 else 0.5)
    else:
        sys.exit("usage: peer_attention.py THREADS STEPS [DROPOUT] | --reference OUT.json | --selftest")
