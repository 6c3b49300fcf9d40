/**
 * A small time-series chart drawn with uPlot (a few tens of KB, canvas, made for this): one or more
 * lines over the meter's buckets, y from zero, its values written with `format`.
 */
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { palette } from "../theme";

export interface ChartLine {
  label: string;
  values: (number | null)[];
  color: string;
  /** A dashed line (a limit). */
  dashed?: boolean;
  fill?: boolean;
  /** Dots at each value, for gauges whose buckets are often empty (latency). */
  dots?: boolean;
}

interface Props {
  title: string;
  /** Bucket starts, ms since the epoch. */
  at: number[];
  lines: ChartLine[];
  format: (value: number) => string;
  testId?: string;
  height?: number;
}

function options(width: number, height: number, lines: ChartLine[], format: (v: number) => string): uPlot.Options {
  const axis = {
    stroke: palette.muted,
    grid: { stroke: palette.border, width: 1 },
    ticks: { stroke: palette.border, width: 1 },
    font: "11px Inter, system-ui, sans-serif",
  };
  return {
    width,
    height,
    padding: [6, 10, 0, 0],
    cursor: { drag: { x: false, y: false } },
    // Labels only: live values under the cursor would wrap in a narrow pane.
    legend: { show: true, live: false },
    scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] } },
    axes: [
      { ...axis, size: 26 },
      { ...axis, size: 58, values: (_u, values) => values.map((v) => format(v)) },
    ],
    series: [
      {},
      ...lines.map((line) => ({
        label: line.label,
        stroke: line.color,
        width: 1.5,
        dash: line.dashed ? [6, 4] : undefined,
        fill: line.fill ? `${line.color}22` : undefined,
        // A lone value (a minute with requests between quiet ones) is a dot, not nothing; so is a line
        // with one value so far (a new project's database size, reported in the current minute), which
        // uPlot would not draw at all.
        points: {
          show: (u: uPlot, seriesIdx: number) =>
            line.dots === true || (u.data[seriesIdx] ?? []).filter((v) => v !== null && v !== undefined).length === 1,
          size: line.dots ? 4 : 7,
          fill: line.color,
        },
        value: (_u: uPlot, v: number | null) => (v === null ? "–" : format(v)),
      })),
    ],
  };
}

export function TimeChart({ title, at, lines, format, testId, height = 110 }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shape = lines.map((l) => `${l.label}:${l.color}:${l.dashed}:${l.dots}`).join("|");
  const data: uPlot.AlignedData = [at.map((t) => t / 1000), ...lines.map((l) => l.values)];
  const latest = useRef(data);
  latest.current = data;
  const formatRef = useRef(format);
  formatRef.current = format;

  // A new chart when the lines change; otherwise only new data (below).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `shape` stands for `lines`
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const chart = new uPlot(
      options(Math.max(200, element.clientWidth), height, lines, (v) => formatRef.current(v)),
      latest.current,
      element,
    );
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(200, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
  }, [shape, height]);

  useEffect(() => {
    plot.current?.setData(data);
  });

  return (
    <figure className="time-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div ref={box} className="time-chart-plot" />
    </figure>
  );
}
