//! Charts as SVG, each with the table of the same figures.
//!
//! Every chart is drawn on the server as an inline SVG string, so pages work without JavaScript.
//! The SVG is a picture (`role="img"`) named by its `<title>` and summarised by its `<desc>`. A
//! picture cannot be read point by point with a screen reader or zoomed into on a phone, so each
//! chart also renders a GOV.UK table of exactly the same figures; pages should show both.
//!
//! Colours come from the GOV.UK Design System palette, but colour never carries meaning alone
//! (WCAG 1.4.1): lines also differ in dash pattern and are named in a text legend, the measured
//! series has a marker on every point, and every heat-map cell prints its number in a colour with
//! at least 4.5:1 contrast against its shade.
//!
//! All text is escaped with [`esc`]. A figure that is not finite (NaN, infinity), or is beyond
//! ±10¹² and so too large to place on an axis, is drawn as a gap, so the SVG never says "NaN" or
//! "inf". Nothing here panics on odd input: empty charts, a single point, equal values and
//! negative values all render.

// ---------------------------------------------------------------------------------------------
// Palette
// ---------------------------------------------------------------------------------------------

const BLACK: &str = "#0b0c0c";
const WHITE: &str = "#ffffff";
const BLUE: &str = "#1d70b8";
const DARK_GREY: &str = "#505a5f";
const MID_GREY: &str = "#b1b4b6";
const GREEN: &str = "#00703c";
const RED: &str = "#d4351c";
const PURPLE: &str = "#4c2c92";

/// Colour and dash pattern for each benchmark line. Orange is left out because it has less than
/// the 3:1 contrast against white that WCAG 1.4.11 asks of lines that carry meaning.
const BENCHMARK_LOOKS: [(&str, &str); 4] = [
    (PURPLE, "2 4"),
    (GREEN, "12 4 2 4"),
    (DARK_GREY, "4 4"),
    (RED, "16 4 4 4"),
];

/// Heat-map shades of GOV.UK blue, lightest first. Each is far enough from the middle luminance
/// that either black or white text on it keeps 4.5:1 contrast (checked in the tests).
const HEAT_SHADES: [&str; 5] = ["#d2e2f1", "#8eb8dc", "#5694ca", "#1d70b8", "#003078"];

// ---------------------------------------------------------------------------------------------
// Layout. The SVGs scale to their container through `viewBox`; these are viewBox units, which
// equal CSS pixels when the chart is shown at its natural 640 px width.
// ---------------------------------------------------------------------------------------------

const CHART_WIDTH: f64 = 640.0;
const MIN_PLOT_LEFT: f64 = 64.0;
const PLOT_RIGHT: f64 = CHART_WIDTH - 32.0;
const PLOT_TOP: f64 = 40.0;
const PLOT_BOTTOM: f64 = PLOT_TOP + 240.0;
/// Baseline of the first line of the x-axis labels.
const X_LABELS_TOP: f64 = PLOT_BOTTOM + 22.0;
const FONT_SIZE: f64 = 14.0;
/// The server cannot measure text, so widths are estimated from a generous average glyph width
/// for Arial at [`FONT_SIZE`]; overestimating only thins labels a little more than needed.
const CHAR_WIDTH: f64 = FONT_SIZE * 0.6;
const LINE_HEIGHT: f64 = 16.0;
/// Least space between two neighbouring axis labels.
const LABEL_GAP: f64 = 8.0;
const LEGEND_ROW: f64 = 24.0;
const LEGEND_SAMPLE_WIDTH: f64 = 40.0;
const MAX_LABEL_LINE_CHARS: usize = 12;
const MAX_LEGEND_CHARS: usize = 60;
/// Figures beyond this size cannot share an axis with ordinary ones without the arithmetic
/// overflowing to infinity, so they are treated as gaps.
const MAX_PLOTTABLE: f64 = 1e12;

const HEAT_LABEL_WIDTH: f64 = 168.0;
const HEAT_MAX_ROW_LABEL_CHARS: usize = 18;
const HEAT_GRID_TOP: f64 = 16.0 + 2.0 * LINE_HEIGHT + 8.0;
const HEAT_CELL_HEIGHT: f64 = 32.0;
const HEAT_MIN_CELL_WIDTH: f64 = 44.0;
const HEAT_RIGHT_MARGIN: f64 = 16.0;

const SPARK_WIDTH: f64 = 80.0;
const SPARK_HEIGHT: f64 = 20.0;
const SPARK_PAD: f64 = 3.0;

// ---------------------------------------------------------------------------------------------
// Line chart
// ---------------------------------------------------------------------------------------------

/// How a series is drawn. Each style differs from the others in dash pattern as well as colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineStyle {
    /// The measured figures: a thick solid blue line with a circle on every point.
    Value,
    /// The target: a black dashed line.
    Target,
    /// A comparison such as the national or regional average. The number picks one of four
    /// colour and dash pairs (wrapping round), so that several benchmarks differ from each other.
    Benchmark(u8),
}

impl LineStyle {
    fn colour(self) -> &'static str {
        match self {
            LineStyle::Value => BLUE,
            LineStyle::Target => BLACK,
            LineStyle::Benchmark(n) => benchmark_look(n).0,
        }
    }

    fn dash(self) -> Option<&'static str> {
        match self {
            LineStyle::Value => None,
            LineStyle::Target => Some("8 6"),
            LineStyle::Benchmark(n) => Some(benchmark_look(n).1),
        }
    }

    fn stroke_width(self) -> f64 {
        match self {
            LineStyle::Value => 3.0,
            LineStyle::Target | LineStyle::Benchmark(_) => 2.0,
        }
    }

    fn class_name(self) -> &'static str {
        match self {
            LineStyle::Value => "value",
            LineStyle::Target => "target",
            LineStyle::Benchmark(_) => "benchmark",
        }
    }

    /// The SVG attributes that draw a line in this style.
    fn stroke_attributes(self) -> String {
        let dash = self
            .dash()
            .map(|pattern| format!(r#" stroke-dasharray="{pattern}""#))
            .unwrap_or_default();
        format!(
            r#"fill="none" stroke="{}" stroke-width="{}" stroke-linejoin="round"{dash}"#,
            self.colour(),
            self.stroke_width()
        )
    }
}

fn benchmark_look(n: u8) -> (&'static str, &'static str) {
    BENCHMARK_LOOKS[usize::from(n) % BENCHMARK_LOOKS.len()]
}

/// One line on a [`LineChart`]: a figure (or `None` for no figure) per x label.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Shown in the legend and as the table's column heading.
    pub name: String,
    /// One entry per label of the chart; entries beyond the last label are ignored.
    pub points: Vec<Option<f64>>,
    pub style: LineStyle,
}

/// A line chart of one or more series over the same x labels (usually months).
#[derive(Debug, Clone, Copy)]
pub struct LineChart<'a> {
    /// Names the chart: the SVG's `<title>` and the table's caption.
    pub title: &'a str,
    /// The x labels, oldest first, such as "Oct 2025".
    pub labels: &'a [String],
    /// The first [`LineStyle::Value`] series is the one the description summarises.
    pub series: &'a [Series],
    /// "%" (the axis then runs 0–100 unless a figure goes beyond), "days", "per 10,000", or "".
    pub unit: &'a str,
}

impl LineChart<'_> {
    /// The chart as an inline `<svg class="hearth-chart" role="img">`, named by its `<title>`
    /// and summarised by its `<desc>`. Ids inside derive from the chart's content, so several
    /// charts can share a page.
    pub fn svg(&self) -> String {
        let id = self.id();
        let ticks = Ticks::covering(self.value_range());
        let tick_labels: Vec<String> = ticks.labels(self.unit);
        let plot = Plot::new(self.labels.len(), &ticks, &tick_labels);
        let legend_top = X_LABELS_TOP + 2.0 * LINE_HEIGHT;
        let height = (legend_top + LEGEND_ROW * self.series.len() as f64 + 8.0).ceil();

        let mut out = svg_open("hearth-chart", &id, CHART_WIDTH, height);
        out.push_str(&title_and_desc(&id, self.title, &self.description()));
        out.push_str(&y_axis(&plot, &ticks, &tick_labels, self.unit));
        out.push_str(&x_axis(&plot, self.labels));
        if self
            .series
            .iter()
            .all(|series| self.figures(series).is_empty())
        {
            let centre_x = (plot.left + PLOT_RIGHT) / 2.0;
            out.push_str(&no_figures_note(centre_x, (PLOT_TOP + PLOT_BOTTOM) / 2.0));
        }
        // Comparison lines go first so that the measured line is drawn on top of them.
        let (measured, comparisons): (Vec<&Series>, Vec<&Series>) = self
            .series
            .iter()
            .partition(|series| series.style == LineStyle::Value);
        for series in comparisons.into_iter().chain(measured) {
            let figures = self.figures(series);
            out.push_str(&series_marks(
                &plot,
                series,
                &figures,
                self.labels,
                self.unit,
            ));
        }
        out.push_str(&legend(self.series, plot.left, legend_top));
        out.push_str("</svg>");
        out
    }

    /// The same figures as a GOV.UK table: a row per label, a column per series.
    pub fn table(&self) -> String {
        let headings: Vec<String> = self
            .series
            .iter()
            .map(|series| heading_with_unit(&series.name, self.unit))
            .collect();
        let rows = self
            .labels
            .iter()
            .enumerate()
            .map(|(index, label)| TableRow {
                heading: label.clone(),
                cells: self
                    .series
                    .iter()
                    .map(|series| table_figure(series.points.get(index).copied().flatten()))
                    .collect(),
            })
            .collect::<Vec<_>>();
        govuk_table(self.title, "Period", &headings, &rows)
    }

    /// The series' plottable figures with their label index, leaving out gaps and any points
    /// beyond the last label.
    fn figures(&self, series: &Series) -> Vec<(usize, f64)> {
        series
            .points
            .iter()
            .take(self.labels.len())
            .enumerate()
            .filter_map(|(index, point)| plottable(*point).map(|value| (index, value)))
            .collect()
    }

    /// The span the y axis must cover. It always includes zero, so that the height of a line
    /// is not exaggerated, and a percentage axis runs to at least 100.
    fn value_range(&self) -> (f64, f64) {
        let all = self
            .series
            .iter()
            .flat_map(|series| self.figures(series))
            .map(|(_, value)| value);
        let is_percent = self.unit == "%";
        let (min, max) = min_max(all).unwrap_or((0.0, if is_percent { 100.0 } else { 10.0 }));
        let lowest = min.min(0.0);
        let highest = max.max(0.0);
        if is_percent {
            (lowest, highest.max(100.0))
        } else {
            (lowest, highest)
        }
    }

    /// The text of `<desc>`: the first and last figure of the measured series and the latest
    /// target, which is what a sighted reader takes from the picture at a glance.
    fn description(&self) -> String {
        let main = self
            .series
            .iter()
            .find(|series| series.style == LineStyle::Value)
            .or_else(|| self.series.first());
        let Some(main) = main else {
            return "No figures to show.".to_string();
        };
        let mut text = self.describe_trend(main);
        let target = self
            .series
            .iter()
            .find(|series| series.style == LineStyle::Target);
        if let Some((index, value)) = target.and_then(|series| self.figures(series).last().copied())
        {
            text.push_str(&format!(
                " Latest target: {} ({}).",
                format_figure(value, self.unit),
                self.labels[index]
            ));
        }
        text
    }

    fn describe_trend(&self, series: &Series) -> String {
        let figures = self.figures(series);
        let describe = |&(index, value): &(usize, f64)| {
            format!(
                "{} in {}",
                format_figure(value, self.unit),
                self.labels[index]
            )
        };
        match (figures.first(), figures.last()) {
            (Some(first), Some(last)) if figures.len() > 1 => format!(
                "{}: from {} to {}.",
                series.name,
                describe(first),
                describe(last)
            ),
            (Some(only), _) => format!("{}: {}.", series.name, describe(only)),
            _ => format!("{}: no figures.", series.name),
        }
    }

    fn id(&self) -> String {
        let mut hasher = IdHasher::new();
        hasher.text(self.title);
        hasher.text(self.unit);
        self.labels.iter().for_each(|label| hasher.text(label));
        for series in self.series {
            hasher.text(&series.name);
            series.points.iter().for_each(|&point| hasher.figure(point));
        }
        hasher.id("hearth-chart")
    }
}

/// Where the plot area sits and how figures map into it.
struct Plot {
    /// Number of x positions (labels).
    count: usize,
    /// Left edge of the plot area: wide enough for the longest y tick label.
    left: f64,
    lowest: f64,
    highest: f64,
}

impl Plot {
    fn new(count: usize, ticks: &Ticks, tick_labels: &[String]) -> Plot {
        let widest = tick_labels
            .iter()
            .map(|label| label.chars().count())
            .max()
            .unwrap_or(0);
        Plot {
            count,
            left: MIN_PLOT_LEFT.max(widest as f64 * CHAR_WIDTH + 16.0),
            lowest: ticks.lowest(),
            highest: ticks.highest(),
        }
    }

    /// Distance between neighbouring x positions; the whole width when there is only one.
    fn spacing(&self) -> f64 {
        let width = PLOT_RIGHT - self.left;
        if self.count > 1 {
            width / (self.count - 1) as f64
        } else {
            width
        }
    }

    fn x(&self, index: usize) -> f64 {
        if self.count > 1 {
            self.left + index as f64 * self.spacing()
        } else {
            (self.left + PLOT_RIGHT) / 2.0
        }
    }

    fn y(&self, value: f64) -> f64 {
        let span = self.highest - self.lowest;
        if span > 0.0 {
            PLOT_BOTTOM - (value - self.lowest) / span * (PLOT_BOTTOM - PLOT_TOP)
        } else {
            (PLOT_TOP + PLOT_BOTTOM) / 2.0
        }
    }
}

/// Gridlines and labels for the y axis, the baseline, a zero line when the axis goes below
/// zero, and the unit written above the axis (a percentage's "%" is on each label instead).
fn y_axis(plot: &Plot, ticks: &Ticks, tick_labels: &[String], unit: &str) -> String {
    let mut out = String::from(r#"<g class="hearth-chart__y-axis">"#);
    if !unit.is_empty() && unit != "%" {
        out.push_str(&text_element(
            "hearth-chart__unit",
            (8.0, PLOT_TOP - 20.0),
            "start",
            unit,
            MAX_LEGEND_CHARS,
        ));
    }
    for (&value, label) in ticks.values.iter().zip(tick_labels) {
        let y = plot.y(value);
        out.push_str(&horizontal_line(plot.left, y, MID_GREY));
        out.push_str(&format!(
            r#"<text class="hearth-chart__y-label" x="{:.1}" y="{y:.1}" dy="0.35em" text-anchor="end">{}</text>"#,
            plot.left - 8.0,
            esc(label)
        ));
    }
    if plot.lowest < 0.0 && plot.highest > 0.0 {
        out.push_str(&horizontal_line(plot.left, plot.y(0.0), BLACK));
    }
    out.push_str(&horizontal_line(plot.left, PLOT_BOTTOM, BLACK));
    out.push_str("</g>");
    out
}

fn horizontal_line(left: f64, y: f64, colour: &str) -> String {
    format!(
        r#"<line x1="{left:.1}" x2="{PLOT_RIGHT:.1}" y1="{y:.1}" y2="{y:.1}" stroke="{colour}" stroke-width="1"/>"#
    )
}

/// Tick marks and labels along the x axis, thinned so that labels never overlap. The latest
/// label is always kept, because it is the one readers look for.
fn x_axis(plot: &Plot, labels: &[String]) -> String {
    let widest = labels
        .iter()
        .map(|label| label_width(label))
        .fold(0.0, f64::max);
    let step = label_step(plot.spacing(), widest);
    let mut out = String::from(r#"<g class="hearth-chart__x-axis">"#);
    for index in shown_label_indices(labels.len(), step) {
        let x = plot.x(index);
        out.push_str(&format!(
            r#"<line x1="{x:.1}" x2="{x:.1}" y1="{PLOT_BOTTOM:.1}" y2="{:.1}" stroke="{BLACK}" stroke-width="1"/>"#,
            PLOT_BOTTOM + 6.0
        ));
        out.push_str(&axis_label(
            "hearth-chart__x-label",
            (x, X_LABELS_TOP),
            &labels[index],
            CHART_WIDTH,
        ));
    }
    out.push_str("</g>");
    out
}

/// The line (broken at every gap) and markers of one series.
fn series_marks(
    plot: &Plot,
    series: &Series,
    figures: &[(usize, f64)],
    labels: &[String],
    unit: &str,
) -> String {
    let style = series.style;
    let mut out = format!(
        r#"<g class="hearth-chart__series hearth-chart__series--{}">"#,
        style.class_name()
    );
    let path = path_data(figures, |index, value| (plot.x(index), plot.y(value)));
    if !path.is_empty() {
        out.push_str(&format!(
            r#"<path d="{path}" {}/>"#,
            style.stroke_attributes()
        ));
    }
    for run in runs(figures) {
        // Comparison lines are told apart by their dashes, but a point with no neighbour has no
        // line to dash, so it gets a marker or it would not be drawn at all.
        if style != LineStyle::Value && run.len() > 1 {
            continue;
        }
        for &(index, value) in run {
            let tooltip = format!(
                "{}, {}: {}",
                series.name,
                labels[index],
                format_figure(value, unit)
            );
            out.push_str(&marker(style, plot.x(index), plot.y(value), &tooltip));
        }
    }
    out.push_str("</g>");
    out
}

/// A point marker with a tooltip. The shape differs by style, again so as not to rely on colour.
fn marker(style: LineStyle, x: f64, y: f64, tooltip: &str) -> String {
    let colour = style.colour();
    let shape = match style {
        LineStyle::Value => format!(
            r#"<circle cx="{x:.1}" cy="{y:.1}" r="4.5" fill="{colour}" stroke="{WHITE}" stroke-width="1.5"/>"#
        ),
        LineStyle::Target => format!(
            r#"<rect x="{:.1}" y="{:.1}" width="8" height="8" fill="{colour}"/>"#,
            x - 4.0,
            y - 4.0
        ),
        LineStyle::Benchmark(_) => format!(
            r#"<path d="M{x:.1},{:.1} L{:.1},{:.1} L{:.1},{:.1} Z" fill="{colour}"/>"#,
            y - 5.0,
            x + 5.0,
            y + 4.0,
            x - 5.0,
            y + 4.0
        ),
    };
    format!(
        r#"<g class="hearth-chart__marker"><title>{}</title>{shape}</g>"#,
        esc(tooltip)
    )
}

/// One legend row per series: a sample of its line (with a circle for the measured series)
/// and its name.
fn legend(series: &[Series], left: f64, top: f64) -> String {
    let mut out = String::from(r#"<g class="hearth-chart__legend">"#);
    for (row, one) in series.iter().enumerate() {
        let y = top + LEGEND_ROW * (row as f64 + 0.5);
        let sample_end = left + LEGEND_SAMPLE_WIDTH;
        out.push_str(r#"<g class="hearth-chart__legend-item">"#);
        out.push_str(&format!(
            r#"<line x1="{left:.1}" x2="{sample_end:.1}" y1="{y:.1}" y2="{y:.1}" {}/>"#,
            one.style.stroke_attributes()
        ));
        if one.style == LineStyle::Value {
            out.push_str(&format!(
                r#"<circle cx="{:.1}" cy="{y:.1}" r="4.5" fill="{BLUE}" stroke="{WHITE}" stroke-width="1.5"/>"#,
                left + LEGEND_SAMPLE_WIDTH / 2.0
            ));
        }
        out.push_str(&text_element(
            "hearth-chart__legend-label",
            (sample_end + 12.0, y),
            "start",
            &one.name,
            MAX_LEGEND_CHARS,
        ));
        out.push_str("</g>");
    }
    out.push_str("</g>");
    out
}

/// Nicely rounded y-axis ticks: 4 to 6 values, evenly spaced by 1, 2, 2.5 or 5 times a power
/// of ten, covering the range asked for.
#[derive(Debug)]
struct Ticks {
    values: Vec<f64>,
    /// Decimal places that show every tick exactly (2.5 needs one more than its power of ten).
    decimals: usize,
}

impl Ticks {
    fn covering((lowest, highest): (f64, f64)) -> Ticks {
        // A flat range still needs an axis with some height.
        let highest = if highest > lowest {
            highest
        } else {
            lowest + 1.0
        };
        let range = highest - lowest;
        // Start with steps far too small and take the first one that needs at most 5 gaps.
        // Successive steps grow by at most 2.5 times, which leaves at least 3 gaps (4 ticks).
        let start = range.log10().floor() as i32 - 2;
        for exponent in start..start + 5 {
            for mantissa in [1.0, 2.0, 2.5, 5.0] {
                let step = mantissa * 10f64.powi(exponent);
                // The small allowance stops rounding error in the division adding a tick.
                let first = (lowest / step + 1e-9).floor();
                let last = (highest / step - 1e-9).ceil();
                if last - first <= 5.0 {
                    let gaps = (last - first).max(1.0) as usize;
                    let extra_digit = i32::from(mantissa == 2.5);
                    return Ticks {
                        values: (0..=gaps).map(|k| (first + k as f64) * step).collect(),
                        decimals: (extra_digit - exponent).max(0) as usize,
                    };
                }
            }
        }
        // Not reached for finite ranges; kept so that no input can leave the axis empty.
        Ticks {
            values: vec![lowest, highest],
            decimals: 1,
        }
    }

    fn lowest(&self) -> f64 {
        self.values.first().copied().unwrap_or(0.0)
    }

    fn highest(&self) -> f64 {
        self.values.last().copied().unwrap_or(1.0)
    }

    /// Tick labels; a percentage carries its "%" on every label.
    fn labels(&self, unit: &str) -> Vec<String> {
        self.values
            .iter()
            .map(|&value| {
                let number = format_number(value, self.decimals);
                if unit == "%" {
                    format!("{number}%")
                } else {
                    number
                }
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Sparkline
// ---------------------------------------------------------------------------------------------

/// A tiny inline trend line (80×20) for use beside a figure in text or a table, named for
/// screen readers by its `aria-label`, e.g. "Visits on time. Trend over 13 months: from 69.0 to
/// 81.2". `label` says what the figures are and may be empty. Points are taken to be monthly,
/// as all of Hearth's figures are. The latest figure is marked with a dot.
pub fn sparkline(points: &[Option<f64>], label: &str) -> String {
    let figures: Vec<(usize, f64)> = points
        .iter()
        .enumerate()
        .filter_map(|(index, point)| plottable(*point).map(|value| (index, value)))
        .collect();
    let name = sparkline_name(points.len(), &figures, label);
    let range = min_max(figures.iter().map(|&(_, value)| value));
    let place =
        |index: usize, value: f64| (sparkline_x(index, points.len()), sparkline_y(value, range));

    let mut out = format!(
        r#"<svg class="hearth-sparkline" xmlns="http://www.w3.org/2000/svg" width="{SPARK_WIDTH}" height="{SPARK_HEIGHT}" viewBox="0 0 {SPARK_WIDTH} {SPARK_HEIGHT}" role="img" aria-label="{name}"><title>{name}</title>"#,
        name = esc(&name)
    );
    let path = path_data(&figures, place);
    if !path.is_empty() {
        out.push_str(&format!(
            r#"<path d="{path}" fill="none" stroke="{BLUE}" stroke-width="1.5" stroke-linejoin="round"/>"#
        ));
    }
    let latest = figures.last().map(|&(index, _)| index);
    for run in runs(&figures) {
        for &(index, value) in run {
            let (x, y) = place(index, value);
            if Some(index) == latest {
                out.push_str(&format!(
                    r#"<circle class="hearth-sparkline__latest" cx="{x:.1}" cy="{y:.1}" r="2.5" fill="{BLACK}"/>"#
                ));
            } else if run.len() == 1 {
                // A figure between two gaps has no line through it, so it needs a dot to show.
                out.push_str(&format!(
                    r#"<circle cx="{x:.1}" cy="{y:.1}" r="1.5" fill="{BLUE}"/>"#
                ));
            }
        }
    }
    out.push_str("</svg>");
    out
}

fn sparkline_name(months: usize, figures: &[(usize, f64)], label: &str) -> String {
    let prefix = if label.is_empty() {
        String::new()
    } else {
        format!("{label}. ")
    };
    let span = if months == 1 {
        "1 month".to_string()
    } else {
        format!("{months} months")
    };
    match (figures.first(), figures.last()) {
        (Some(&(_, first)), Some(&(_, last))) if figures.len() > 1 => format!(
            "{prefix}Trend over {span}: from {} to {}",
            format_number(first, 1),
            format_number(last, 1)
        ),
        (Some(&(_, only)), _) => format!(
            "{prefix}Trend over {span}: one figure, {}",
            format_number(only, 1)
        ),
        _ if label.is_empty() => "No figures".to_string(),
        _ => format!("{label}: no figures"),
    }
}

fn sparkline_x(index: usize, count: usize) -> f64 {
    if count > 1 {
        SPARK_PAD + index as f64 * (SPARK_WIDTH - 2.0 * SPARK_PAD) / (count - 1) as f64
    } else {
        SPARK_WIDTH / 2.0
    }
}

/// Unlike the line chart, a sparkline fits its own range rather than starting at zero: it is
/// there to show the shape of the trend, and its figures are given in text beside it.
fn sparkline_y(value: f64, range: Option<(f64, f64)>) -> f64 {
    match range {
        Some((lowest, highest)) if highest > lowest => {
            let share = (value - lowest) / (highest - lowest);
            SPARK_HEIGHT - SPARK_PAD - share * (SPARK_HEIGHT - 2.0 * SPARK_PAD)
        }
        _ => SPARK_HEIGHT / 2.0,
    }
}

// ---------------------------------------------------------------------------------------------
// Heat map
// ---------------------------------------------------------------------------------------------

/// A grid of figures (for example areas by month), each cell shaded by its size and showing its
/// number.
#[derive(Debug, Clone, Copy)]
pub struct HeatMap<'a> {
    /// Names the chart: the SVG's `<title>` and the table's caption.
    pub title: &'a str,
    /// Row labels, such as areas.
    pub rows: &'a [String],
    /// Column labels, such as months.
    pub columns: &'a [String],
    /// One inner vector per row, one figure per column. Missing or non-finite figures show as
    /// "–" (no figure).
    pub values: &'a [Vec<f64>],
}

impl HeatMap<'_> {
    /// The heat map as an inline `<svg class="hearth-heatmap" role="img">` with row and column
    /// labels, a number in every cell and a key to the shades.
    pub fn svg(&self) -> String {
        let id = self.id();
        let scale = HeatScale::of(self.figures().into_iter().map(|(_, _, value)| value));
        let cell_width = self.cell_width();
        let grid_width = cell_width * self.columns.len() as f64;
        let width = (HEAT_LABEL_WIDTH + grid_width + HEAT_RIGHT_MARGIN)
            .max(CHART_WIDTH)
            .ceil();
        let grid_bottom = HEAT_GRID_TOP + HEAT_CELL_HEIGHT * self.rows.len() as f64;
        let key = scale.key(self.has_gaps());
        let key_top = grid_bottom + 24.0;
        let height = (key_top + LEGEND_ROW * key.len() as f64 + 8.0).ceil();

        let mut out = svg_open("hearth-heatmap", &id, width, height);
        out.push_str(&title_and_desc(&id, self.title, &self.description()));
        out.push_str(&self.column_labels(cell_width, width));
        for row in 0..self.rows.len() {
            out.push_str(&self.row(row, cell_width, &scale));
        }
        if self.rows.is_empty() || self.columns.is_empty() {
            out.push_str(&no_figures_note(width / 2.0, HEAT_GRID_TOP + 16.0));
        }
        out.push_str(&heat_key(&key, key_top));
        out.push_str("</svg>");
        out
    }

    /// The same figures as a GOV.UK table: a row per row label, a column per column label.
    pub fn table(&self) -> String {
        let rows = self
            .rows
            .iter()
            .enumerate()
            .map(|(row, heading)| TableRow {
                heading: heading.clone(),
                cells: (0..self.columns.len())
                    .map(|column| table_figure(self.raw_cell(row, column)))
                    .collect(),
            })
            .collect::<Vec<_>>();
        govuk_table(self.title, "", self.columns, &rows)
    }

    fn raw_cell(&self, row: usize, column: usize) -> Option<f64> {
        self.values.get(row)?.get(column).copied()
    }

    fn cell(&self, row: usize, column: usize) -> Option<f64> {
        plottable(self.raw_cell(row, column))
    }

    /// Every plottable figure with its row and column.
    fn figures(&self) -> Vec<(usize, usize, f64)> {
        (0..self.rows.len())
            .flat_map(|row| (0..self.columns.len()).map(move |column| (row, column)))
            .filter_map(|(row, column)| self.cell(row, column).map(|value| (row, column, value)))
            .collect()
    }

    fn has_gaps(&self) -> bool {
        self.figures().len() < self.rows.len() * self.columns.len()
    }

    /// Wide enough for the longest number, and wider still to fill the chart's natural width
    /// when there are few columns.
    fn cell_width(&self) -> f64 {
        let widest_number = self
            .figures()
            .iter()
            .map(|&(_, _, value)| format_number(value, 1).chars().count())
            .max()
            .unwrap_or(1);
        let available = CHART_WIDTH - HEAT_LABEL_WIDTH - HEAT_RIGHT_MARGIN;
        let filling = available / self.columns.len().max(1) as f64;
        HEAT_MIN_CELL_WIDTH
            .max(widest_number as f64 * CHAR_WIDTH + 12.0)
            .max(filling)
    }

    fn column_labels(&self, cell_width: f64, width: f64) -> String {
        let widest = self
            .columns
            .iter()
            .map(|label| label_width(label))
            .fold(0.0, f64::max);
        let step = label_step(cell_width, widest);
        let mut out = String::from(r#"<g class="hearth-heatmap__columns">"#);
        for column in shown_label_indices(self.columns.len(), step) {
            let centre = HEAT_LABEL_WIDTH + cell_width * (column as f64 + 0.5);
            out.push_str(&axis_label(
                "hearth-heatmap__column-label",
                (centre, 16.0 + LINE_HEIGHT / 2.0),
                &self.columns[column],
                width,
            ));
        }
        out.push_str("</g>");
        out
    }

    fn row(&self, row: usize, cell_width: f64, scale: &HeatScale) -> String {
        let top = HEAT_GRID_TOP + HEAT_CELL_HEIGHT * row as f64;
        let middle = top + HEAT_CELL_HEIGHT / 2.0;
        let mut out = String::from(r#"<g class="hearth-heatmap__row">"#);
        out.push_str(&text_element(
            "hearth-heatmap__row-label",
            (HEAT_LABEL_WIDTH - 8.0, middle),
            "end",
            &self.rows[row],
            HEAT_MAX_ROW_LABEL_CHARS,
        ));
        for column in 0..self.columns.len() {
            let left = HEAT_LABEL_WIDTH + cell_width * column as f64;
            let value = self.cell(row, column);
            let tooltip = format!(
                "{}, {}: {}",
                self.rows[row],
                self.columns[column],
                value.map_or("no figure".to_string(), |v| format_number(v, 1))
            );
            out.push_str(&heat_cell((left, top, cell_width), value, scale, &tooltip));
        }
        out.push_str("</g>");
        out
    }

    fn description(&self) -> String {
        let figures = self.figures();
        let lowest = figures.iter().min_by(|a, b| a.2.total_cmp(&b.2));
        let highest = figures.iter().max_by(|a, b| a.2.total_cmp(&b.2));
        let place = |&(row, column, value): &(usize, usize, f64)| {
            format!(
                "{} ({}, {})",
                format_number(value, 1),
                self.rows[row],
                self.columns[column]
            )
        };
        match (lowest, highest) {
            (Some(low), Some(high)) if high.2 > low.2 => format!(
                "Figures range from {} to {}. Darker shades show higher figures.",
                place(low),
                place(high)
            ),
            (Some(only), _) => format!("Every figure shown is {}.", format_number(only.2, 1)),
            _ => "No figures to show.".to_string(),
        }
    }

    fn id(&self) -> String {
        let mut hasher = IdHasher::new();
        hasher.text(self.title);
        self.rows.iter().for_each(|label| hasher.text(label));
        self.columns.iter().for_each(|label| hasher.text(label));
        for row in self.values {
            row.iter().for_each(|&value| hasher.figure(Some(value)));
        }
        hasher.id("hearth-heatmap")
    }
}

/// One cell: its shade and its number, or an outlined blank with "–" where there is no figure.
fn heat_cell(
    (left, top, width): (f64, f64, f64),
    value: Option<f64>,
    scale: &HeatScale,
    tooltip: &str,
) -> String {
    let (fill, border, text, text_colour) = match value {
        Some(v) => {
            let shade = HEAT_SHADES[scale.step(v)];
            (shade, WHITE, format_number(v, 1), text_colour_on(shade))
        }
        None => (WHITE, MID_GREY, "–".to_string(), BLACK),
    };
    let centre_x = left + width / 2.0;
    let centre_y = top + HEAT_CELL_HEIGHT / 2.0;
    let shape = format!(
        r#"<rect x="{left:.1}" y="{top:.1}" width="{width:.1}" height="{HEAT_CELL_HEIGHT:.1}" fill="{fill}" stroke="{border}" stroke-width="2"/>"#
    );
    let number = format!(
        r#"<text x="{centre_x:.1}" y="{centre_y:.1}" dy="0.35em" text-anchor="middle" fill="{text_colour}">{}</text>"#,
        esc(&text)
    );
    format!(
        r#"<g class="hearth-heatmap__cell"><title>{}</title>{shape}{number}</g>"#,
        esc(tooltip)
    )
}

/// One line of the key: a swatch and what it stands for.
struct KeyEntry {
    fill: &'static str,
    text: String,
}

/// The key, one swatch per line so that long ranges never collide.
fn heat_key(entries: &[KeyEntry], top: f64) -> String {
    let mut out = String::from(r#"<g class="hearth-heatmap__key">"#);
    for (row, entry) in entries.iter().enumerate() {
        let y = top + LEGEND_ROW * row as f64;
        // The lightest shade is faint against the page, so every swatch gets a dark outline.
        out.push_str(&format!(
            r#"<g class="hearth-heatmap__key-item"><rect x="{HEAT_LABEL_WIDTH:.1}" y="{y:.1}" width="24" height="16" fill="{}" stroke="{DARK_GREY}" stroke-width="1"/>"#,
            entry.fill
        ));
        out.push_str(&text_element(
            "hearth-heatmap__key-label",
            (HEAT_LABEL_WIDTH + 32.0, y + 8.0),
            "start",
            &entry.text,
            MAX_LEGEND_CHARS,
        ));
        out.push_str("</g>");
    }
    out.push_str("</g>");
    out
}

/// Splits the range of figures into equal bands, one per shade.
struct HeatScale {
    range: Option<(f64, f64)>,
}

impl HeatScale {
    fn of(values: impl IntoIterator<Item = f64>) -> HeatScale {
        HeatScale {
            range: min_max(values),
        }
    }

    fn step(&self, value: f64) -> usize {
        let steps = HEAT_SHADES.len();
        match self.range {
            Some((lowest, highest)) if highest > lowest => {
                let share = (value - lowest) / (highest - lowest);
                ((share * steps as f64).floor().max(0.0) as usize).min(steps - 1)
            }
            // Equal figures are neither high nor low, so they take the middle shade.
            _ => steps / 2,
        }
    }

    fn key(&self, has_gaps: bool) -> Vec<KeyEntry> {
        let steps = HEAT_SHADES.len();
        let mut entries = match self.range {
            Some((lowest, highest)) if highest > lowest => {
                let band = (highest - lowest) / steps as f64;
                (0..steps)
                    .map(|step| KeyEntry {
                        fill: HEAT_SHADES[step],
                        text: format!(
                            "{} to {}",
                            format_number(lowest + band * step as f64, 1),
                            format_number(lowest + band * (step + 1) as f64, 1)
                        ),
                    })
                    .collect()
            }
            Some((only, _)) => vec![KeyEntry {
                fill: HEAT_SHADES[steps / 2],
                text: format!("{} (every figure)", format_number(only, 1)),
            }],
            None => Vec::new(),
        };
        if has_gaps {
            entries.push(KeyEntry {
                fill: WHITE,
                text: "– no figure".to_string(),
            });
        }
        entries
    }
}

/// Black or white, whichever has more contrast with the background.
fn text_colour_on(background: &str) -> &'static str {
    if contrast_ratio(BLACK, background) >= contrast_ratio(WHITE, background) {
        BLACK
    } else {
        WHITE
    }
}

/// The WCAG contrast ratio between two "#rrggbb" colours, from 1 to 21.
fn contrast_ratio(first: &str, second: &str) -> f64 {
    let (a, b) = (relative_luminance(first), relative_luminance(second));
    (a.max(b) + 0.05) / (a.min(b) + 0.05)
}

/// WCAG relative luminance of a "#rrggbb" colour (0 for black, 1 for white).
fn relative_luminance(hex: &str) -> f64 {
    let channel = |range: std::ops::Range<usize>| {
        let byte = hex
            .get(range)
            .and_then(|digits| u8::from_str_radix(digits, 16).ok())
            .unwrap_or(0);
        let srgb = f64::from(byte) / 255.0;
        if srgb <= 0.04045 {
            srgb / 12.92
        } else {
            ((srgb + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1..3) + 0.7152 * channel(3..5) + 0.0722 * channel(5..7)
}

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

/// A body row of a table: its heading and a formatted figure (or none) per column.
struct TableRow {
    heading: String,
    cells: Vec<Option<String>>,
}

/// A GOV.UK table inside a scrolling wrapper. The wrapper is a focusable, named region so that
/// keyboard users can scroll a table too wide for a phone (WCAG 2.1.1).
fn govuk_table(caption: &str, corner: &str, columns: &[String], rows: &[TableRow]) -> String {
    let mut out = format!(
        r#"<div class="hearth-table-scroll" role="region" aria-label="{caption} (table)" tabindex="0"><table class="govuk-table"><caption class="govuk-table__caption govuk-table__caption--m">{caption}</caption>"#,
        caption = esc(caption)
    );
    out.push_str(r#"<thead class="govuk-table__head"><tr class="govuk-table__row">"#);
    if corner.is_empty() {
        out.push_str(r#"<td class="govuk-table__header"></td>"#);
    } else {
        out.push_str(&format!(
            r#"<th scope="col" class="govuk-table__header">{}</th>"#,
            esc(corner)
        ));
    }
    for column in columns {
        out.push_str(&format!(
            r#"<th scope="col" class="govuk-table__header govuk-table__header--numeric">{}</th>"#,
            esc(column)
        ));
    }
    out.push_str(r#"</tr></thead><tbody class="govuk-table__body">"#);
    for row in rows {
        out.push_str(&format!(
            r#"<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">{}</th>"#,
            esc(&row.heading)
        ));
        for cell in &row.cells {
            out.push_str(&table_cell(cell.as_deref()));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table></div>");
    out
}

/// A numeric cell. No figure shows as a dash, which screen readers skip in favour of the
/// visually hidden words.
fn table_cell(figure: Option<&str>) -> String {
    let content = match figure {
        Some(text) => esc(text),
        None => r#"<span aria-hidden="true">–</span><span class="govuk-visually-hidden">no figure</span>"#
            .to_string(),
    };
    format!(r#"<td class="govuk-table__cell govuk-table__cell--numeric">{content}</td>"#)
}

/// A table shows every finite figure, even one too large to plot.
fn table_figure(value: Option<f64>) -> Option<String> {
    value.filter(|v| v.is_finite()).map(|v| format_number(v, 1))
}

/// "Visits on time (%)": the unit goes in the heading so that cells hold bare numbers that
/// line up.
fn heading_with_unit(name: &str, unit: &str) -> String {
    if unit.is_empty() {
        name.to_string()
    } else {
        format!("{name} ({unit})")
    }
}

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

/// Escapes text for HTML and SVG, both in element content and in quoted attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The opening tag of a chart. It has a `viewBox` and no fixed size, so it scales to the width
/// of its container on any screen. The font and fill are presentation attributes, which a
/// stylesheet may override but which make the chart legible without one.
fn svg_open(class: &str, id: &str, width: f64, height: f64) -> String {
    format!(
        r#"<svg class="{class}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {height:.0}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="arial, sans-serif" font-size="{FONT_SIZE}" fill="{BLACK}">"#
    )
}

fn title_and_desc(id: &str, title: &str, description: &str) -> String {
    format!(
        r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        esc(title),
        esc(description)
    )
}

fn no_figures_note(x: f64, y: f64) -> String {
    format!(
        r#"<text class="hearth-chart__empty" x="{x:.1}" y="{y:.1}" dy="0.35em" text-anchor="middle" fill="{DARK_GREY}">No figures to show</text>"#
    )
}

/// A one-line `<text>`, shortened with an ellipsis to `max_chars`. When shortened, the full text
/// goes in a `<title>` so that it shows as a tooltip.
fn text_element(
    class: &str,
    (x, y): (f64, f64),
    anchor: &str,
    text: &str,
    max_chars: usize,
) -> String {
    let (shown, was_shortened) = shorten(text, max_chars);
    let tooltip = if was_shortened {
        format!("<title>{}</title>", esc(text))
    } else {
        String::new()
    };
    format!(
        r#"<text class="{class}" x="{x:.1}" y="{y:.1}" dy="0.35em" text-anchor="{anchor}">{tooltip}{}</text>"#,
        esc(&shown)
    )
}

/// An axis label of up to two short lines, centred on `x` but kept inside the chart's width.
fn axis_label(class: &str, (x, y): (f64, f64), label: &str, chart_width: f64) -> String {
    let lines: Vec<(String, bool)> = label_lines(label)
        .iter()
        .map(|line| shorten(line, MAX_LABEL_LINE_CHARS))
        .collect();
    let tooltip = if lines.iter().any(|(_, was_shortened)| *was_shortened) {
        format!("<title>{}</title>", esc(label))
    } else {
        String::new()
    };
    let half_width = label_width(label) / 2.0;
    // Written as max then min (not clamp) because a label wider than the chart must not panic.
    let x = x.min(chart_width - half_width).max(half_width);
    let mut out = format!(r#"<text class="{class}" text-anchor="middle">{tooltip}"#);
    for (number, (line, _)) in lines.iter().enumerate() {
        let line_y = y + LINE_HEIGHT * number as f64;
        out.push_str(&format!(
            r#"<tspan x="{x:.1}" y="{line_y:.1}">{}</tspan>"#,
            esc(line)
        ));
    }
    out.push_str("</text>");
    out
}

/// Splits a label at its first space into two lines, so that "Oct 2025" takes only the width of
/// "2025". That is what lets 13 monthly labels sit side by side on a 640 px chart.
fn label_lines(label: &str) -> Vec<String> {
    match label.trim().split_once(' ') {
        Some((first, rest)) => vec![first.to_string(), rest.trim().to_string()],
        None => vec![label.trim().to_string()],
    }
}

/// Estimated width of an axis label as drawn by [`axis_label`].
fn label_width(label: &str) -> f64 {
    let widest = label_lines(label)
        .iter()
        .map(|line| line.chars().count().min(MAX_LABEL_LINE_CHARS))
        .max()
        .unwrap_or(0);
    widest as f64 * CHAR_WIDTH
}

/// Shows every `step`th label, where `step` is the smallest that keeps labels of the given
/// width apart.
fn label_step(spacing: f64, widest: f64) -> usize {
    if spacing > 0.0 {
        ((widest + LABEL_GAP) / spacing).ceil().max(1.0) as usize
    } else {
        1
    }
}

/// Indices of the labels to show, counting back from the last so that it is always shown.
fn shown_label_indices(count: usize, step: usize) -> impl Iterator<Item = usize> {
    let step = step.max(1);
    (0..count).filter(move |index| (count - 1 - index).is_multiple_of(step))
}

/// Cuts text to at most `max_chars` characters, ending with "…" when anything was cut.
fn shorten(text: &str, max_chars: usize) -> (String, bool) {
    if text.chars().count() <= max_chars {
        (text.to_string(), false)
    } else {
        let kept: String = text.chars().take(max_chars.saturating_sub(1)).collect();
        (format!("{kept}…"), true)
    }
}

/// Stretches of figures at consecutive positions; a gap ends one stretch and starts the next.
fn runs(figures: &[(usize, f64)]) -> impl Iterator<Item = &[(usize, f64)]> {
    figures.chunk_by(|before, after| after.0 == before.0 + 1)
}

/// SVG path data with one subpath ("M…L…") per stretch, so that the line breaks at gaps instead
/// of dropping to zero or bridging them. A stretch of one point has no line to draw.
fn path_data(figures: &[(usize, f64)], place: impl Fn(usize, f64) -> (f64, f64)) -> String {
    runs(figures)
        .filter(|run| run.len() > 1)
        .map(|run| {
            run.iter()
                .enumerate()
                .map(|(number, &(index, value))| {
                    let (x, y) = place(index, value);
                    let command = if number == 0 { 'M' } else { 'L' };
                    format!("{command}{x:.1},{y:.1}")
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The figure if it can be placed on an axis: finite and of a sane size.
fn plottable(value: Option<f64>) -> Option<f64> {
    value.filter(|v| v.is_finite() && v.abs() <= MAX_PLOTTABLE)
}

fn min_max(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    values.into_iter().fold(None, |range, value| match range {
        None => Some((value, value)),
        Some((low, high)) => Some((low.min(value), high.max(value))),
    })
}

/// A figure to one decimal place with its unit: "81.2%", "12.0 days", "45.3 per 10,000".
fn format_figure(value: f64, unit: &str) -> String {
    let number = format_number(value, 1);
    match unit {
        "" => number,
        "%" => format!("{number}%"),
        _ => format!("{number} {unit}"),
    }
}

/// A number with thousands separators, e.g. "-1,234.5". A value that rounds to zero never shows
/// as "-0".
fn format_number(value: f64, decimals: usize) -> String {
    let fixed = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = match fixed.split_once('.') {
        Some((whole, fraction)) => (whole, format!(".{fraction}")),
        None => (fixed.as_str(), String::new()),
    };
    let rounds_to_zero = fixed.bytes().all(|b| b == b'0' || b == b'.');
    let sign = if value < 0.0 && !rounds_to_zero {
        "-"
    } else {
        ""
    };
    format!("{sign}{}{fraction}", group_thousands(whole))
}

fn group_thousands(digits: &str) -> String {
    let count = digits.chars().count();
    let mut out = String::with_capacity(count + count / 3);
    for (position, digit) in digits.chars().enumerate() {
        if position > 0 && (count - position).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// FNV-1a, for ids. Unlike `DefaultHasher` its output never changes between Rust releases, and
/// it is plenty to tell apart the few charts on one page.
struct IdHasher(u64);

impl IdHasher {
    fn new() -> IdHasher {
        IdHasher(0xcbf2_9ce4_8422_2325)
    }

    fn byte(&mut self, byte: u8) {
        self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }

    /// Text followed by a separator, so that ("ab", "c") and ("a", "bc") hash differently.
    fn text(&mut self, text: &str) {
        text.bytes().for_each(|byte| self.byte(byte));
        self.byte(0x1f);
    }

    fn figure(&mut self, figure: Option<f64>) {
        match figure {
            Some(value) => value
                .to_bits()
                .to_le_bytes()
                .iter()
                .for_each(|&b| self.byte(b)),
            None => self.byte(0xff),
        }
    }

    fn id(&self, prefix: &str) -> String {
        format!("{prefix}-{:012x}", self.0 & 0xffff_ffff_ffff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months(count: usize) -> Vec<String> {
        const NAMES: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        (0..count)
            .map(|i| format!("{} {}", NAMES[(9 + i) % 12], 2025 + (9 + i) / 12))
            .collect()
    }

    fn value(name: &str, points: Vec<Option<f64>>) -> Series {
        Series {
            name: name.to_string(),
            points,
            style: LineStyle::Value,
        }
    }

    fn target(points: Vec<Option<f64>>) -> Series {
        Series {
            name: "Target".to_string(),
            points,
            style: LineStyle::Target,
        }
    }

    fn count(haystack: &str, needle: &str) -> usize {
        haystack.matches(needle).count()
    }

    /// The `d` attribute of the first path inside the group for the given series style.
    fn path_of(svg: &str, class_name: &str) -> String {
        let group = format!("hearth-chart__series--{class_name}\">");
        let after = &svg[svg.find(&group).expect("series group") + group.len()..];
        let d = &after[after.find("d=\"").expect("path") + 3..];
        d[..d.find('"').unwrap()].to_string()
    }

    fn assert_clean(output: &str) {
        assert!(!output.contains("NaN"), "NaN in {output}");
        assert!(!output.contains("inf"), "inf in {output}");
    }

    #[test]
    fn esc_escapes_the_five_special_characters() {
        assert_eq!(
            esc(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
    }

    #[test]
    fn line_chart_is_a_named_and_described_image() {
        let labels = months(13);
        let series = [
            value(
                "Visits on time",
                (0..13).map(|i| Some(69.0 + i as f64)).collect(),
            ),
            target(vec![Some(80.0); 13]),
        ];
        let chart = LineChart {
            title: "Visits on time",
            labels: &labels,
            series: &series,
            unit: "%",
        };
        let svg = chart.svg();
        let id = chart.id();
        assert!(svg.starts_with(r#"<svg class="hearth-chart""#));
        assert!(svg.contains(r#"viewBox="0 0 640 "#));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(&format!(r#"aria-labelledby="{id}-title {id}-desc""#)));
        assert!(svg.contains(&format!(r#"<title id="{id}-title">Visits on time</title>"#)));
        assert!(svg.contains(&format!(
            r#"<desc id="{id}-desc">Visits on time: from 69.0% in Oct 2025 to 81.0% in Oct 2026. Latest target: 80.0% (Oct 2026).</desc>"#
        )));
        assert_eq!(count(&svg, r#"class="hearth-chart__legend-item""#), 2);
        assert!(svg.contains(">Visits on time</text>"));
        assert!(svg.contains(">Target</text>"));
        assert!(svg.contains(r#"stroke-dasharray="8 6""#));
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn every_figure_of_the_measured_series_has_a_marker() {
        let labels = months(6);
        let series = [value(
            "Visits",
            vec![Some(1.0), None, Some(3.0), Some(4.0), None, Some(6.0)],
        )];
        let chart = LineChart {
            title: "Visits",
            labels: &labels,
            series: &series,
            unit: "",
        };
        assert_eq!(count(&chart.svg(), r#"class="hearth-chart__marker""#), 4);
    }

    #[test]
    fn a_gap_splits_the_line_into_two_subpaths() {
        let labels = months(5);
        let series = [value(
            "Visits",
            vec![Some(1.0), Some(2.0), None, Some(3.0), Some(4.0)],
        )];
        let chart = LineChart {
            title: "Visits",
            labels: &labels,
            series: &series,
            unit: "",
        };
        let d = path_of(&chart.svg(), "value");
        assert_eq!(count(&d, "M"), 2, "{d}");
        assert_eq!(count(&d, "L"), 2, "{d}");
    }

    #[test]
    fn a_lone_comparison_point_gets_a_marker_and_no_line() {
        let labels = months(5);
        let series = [target(vec![None, Some(50.0), None, Some(60.0), Some(61.0)])];
        let chart = LineChart {
            title: "Target only",
            labels: &labels,
            series: &series,
            unit: "%",
        };
        let svg = chart.svg();
        assert_eq!(count(&svg, r#"class="hearth-chart__marker""#), 1);
        assert_eq!(count(&path_of(&svg, "target"), "M"), 1);
    }

    #[test]
    fn script_in_text_is_escaped_everywhere() {
        let labels = vec![
            "<script>alert(1)</script>".to_string(),
            "Nov 2025".to_string(),
        ];
        let series = [value("<script>x</script>", vec![Some(1.0), Some(2.0)])];
        let chart = LineChart {
            title: "<script>alert('t')</script>",
            labels: &labels,
            series: &series,
            unit: "<b>",
        };
        let rows = vec!["<script>r</script>".to_string()];
        let heat = HeatMap {
            title: "<script>h</script>",
            rows: &rows,
            columns: &labels,
            values: &[vec![1.0, 2.0]],
        };
        let outputs = [
            chart.svg(),
            chart.table(),
            heat.svg(),
            heat.table(),
            sparkline(&[Some(1.0)], "<script>s</script>"),
        ];
        for output in outputs {
            assert!(!output.contains("<script"), "{output}");
            assert!(!output.contains("<b>"), "{output}");
            assert!(output.contains("&lt;script&gt;"), "{output}");
        }
    }

    #[test]
    fn ticks_are_nicely_rounded() {
        let percent = Ticks::covering((0.0, 100.0));
        assert_eq!(percent.values, vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(percent.labels("%")[5], "100%");

        let days = Ticks::covering((0.0, 37.0));
        assert_eq!(days.values, vec![0.0, 10.0, 20.0, 30.0, 40.0]);
        assert_eq!(days.decimals, 0);

        let small = Ticks::covering((0.0, 0.7));
        assert_eq!(small.labels(""), vec!["0.0", "0.2", "0.4", "0.6", "0.8"]);

        let quarters = Ticks::covering((-3.0, 7.0));
        assert_eq!(
            quarters.labels(""),
            ["-5.0", "-2.5", "0.0", "2.5", "5.0", "7.5"]
        );

        let large = Ticks::covering((0.0, 12_345.0));
        assert_eq!(large.labels("")[3], "7,500");
    }

    #[test]
    fn ticks_always_number_four_to_six_and_cover_the_range() {
        let highs = [
            0.001, 0.7, 1.0, 3.3, 9.9, 10.0, 17.0, 42.0, 99.0, 101.0, 640.0, 1e6, 7.7e11,
        ];
        for &high in &highs {
            for low in [0.0, -high / 3.0, -high] {
                let ticks = Ticks::covering((low, high));
                let n = ticks.values.len();
                assert!((4..=6).contains(&n), "{low}..{high}: {:?}", ticks.values);
                assert!(ticks.lowest() <= low && ticks.highest() >= high);
            }
        }
    }

    #[test]
    fn a_percent_axis_runs_to_100_unless_figures_go_beyond() {
        let labels = months(3);
        let low = [value("Low", vec![Some(5.0), Some(7.0), Some(6.0)])];
        let chart = LineChart {
            title: "Low",
            labels: &labels,
            series: &low,
            unit: "%",
        };
        assert_eq!(chart.value_range(), (0.0, 100.0));
        let high = [value("High", vec![Some(5.0), Some(130.0), Some(6.0)])];
        let chart = LineChart {
            series: &high,
            ..chart
        };
        let svg = chart.svg();
        assert!(svg.contains(">150%</text>"), "{svg}");
    }

    #[test]
    fn thirteen_months_all_get_labels_at_640_wide_and_sixty_are_thinned() {
        let chart_of = |labels: &[String]| {
            LineChart {
                title: "Months",
                labels,
                series: &[],
                unit: "",
            }
            .svg()
        };
        let thirteen = months(13);
        assert_eq!(count(&chart_of(&thirteen), "hearth-chart__x-label"), 13);

        let sixty = months(60);
        let svg = chart_of(&sixty);
        let shown = count(&svg, "hearth-chart__x-label");
        assert!((6..60).contains(&shown), "{shown}");
        // The latest month is always labelled.
        assert!(svg.contains(r#">Sep</tspan><tspan x="608.0" y="318.0">2030</tspan>"#));
        // Labels that are shown do not overlap.
        let plot_width = PLOT_RIGHT - MIN_PLOT_LEFT;
        let step = label_step(plot_width / 59.0, label_width("Sep 2030"));
        assert!(step as f64 * plot_width / 59.0 >= label_width("Sep 2030") + LABEL_GAP);
    }

    #[test]
    fn long_labels_are_shortened_with_the_full_text_as_a_tooltip() {
        let long = "Independent fostering agency placements outside the local area".to_string();
        let labels = vec![long.clone(), "Nov 2025".to_string()];
        let series = [value(&long, vec![Some(1.0), Some(2.0)])];
        let chart = LineChart {
            title: "Placements",
            labels: &labels,
            series: &series,
            unit: "",
        };
        let svg = chart.svg();
        assert!(svg.contains(&format!("<title>{long}</title>")));
        assert!(svg.contains("…"));
        assert!(!svg.contains(&format!(">{long}</text>")));
        let heat = HeatMap {
            title: "Heat",
            rows: &labels,
            columns: &labels,
            values: &[vec![1.0, 2.0], vec![3.0, 4.0]],
        };
        assert!(heat.svg().contains(&format!("<title>{long}</title>")));
    }

    #[test]
    fn odd_charts_render_without_nan_or_infinity() {
        let one = months(1);
        let sixty = months(60);
        let long = vec!["x".repeat(300); 3];
        let cases: Vec<(Vec<String>, Vec<Series>, &str)> = vec![
            (sixty.clone(), vec![], "%"),
            (sixty.clone(), vec![value("Empty", vec![])], "%"),
            (sixty.clone(), vec![value("None", vec![None; 60])], ""),
            (one.clone(), vec![value("One", vec![Some(4.0)])], "days"),
            (vec![], vec![value("No labels", vec![Some(4.0)])], "days"),
            (
                months(3),
                vec![value("Negative", vec![Some(-5.0), Some(-2.0), None])],
                "",
            ),
            (
                months(4),
                vec![value("Equal", vec![Some(7.0); 4])],
                "per 10,000",
            ),
            (months(4), vec![value("Zero", vec![Some(0.0); 4])], ""),
            (
                months(3),
                vec![value("Over", vec![Some(150.0), Some(99.0), Some(1e13)])],
                "%",
            ),
            (
                months(3),
                vec![value(
                    "Odd",
                    vec![Some(f64::NAN), Some(f64::INFINITY), Some(2.0)],
                )],
                "%",
            ),
            (long, vec![value(&"y".repeat(300), vec![Some(1.0); 3])], ""),
            (
                sixty.clone(),
                vec![
                    value("Sixty", (0..60).map(|i| Some(i as f64 * 1.5)).collect()),
                    target((0..60).map(|i| Some(50.0 + i as f64)).collect()),
                    Series {
                        name: "England".into(),
                        points: vec![Some(40.0); 70],
                        style: LineStyle::Benchmark(7),
                    },
                ],
                "%",
            ),
        ];
        for (labels, series, unit) in &cases {
            let chart = LineChart {
                title: "Odd",
                labels,
                series,
                unit,
            };
            assert_clean(&chart.svg());
            assert_clean(&chart.table());
        }
        assert!(
            LineChart {
                title: "Empty",
                labels: &[],
                series: &[],
                unit: "%"
            }
            .svg()
            .contains("No figures to show")
        );
    }

    #[test]
    fn desc_handles_a_single_figure_and_no_figures() {
        let labels = months(3);
        let single = [value("Visits", vec![None, Some(12.0), None])];
        let chart = LineChart {
            title: "Visits",
            labels: &labels,
            series: &single,
            unit: "days",
        };
        assert_eq!(chart.description(), "Visits: 12.0 days in Nov 2025.");
        let none = [value("Visits", vec![None; 3])];
        let chart = LineChart {
            series: &none,
            ..chart
        };
        assert_eq!(chart.description(), "Visits: no figures.");
    }

    #[test]
    fn charts_with_different_titles_have_different_ids() {
        let labels = months(2);
        let first = LineChart {
            title: "First",
            labels: &labels,
            series: &[],
            unit: "",
        };
        let second = LineChart {
            title: "Second",
            ..first
        };
        assert_ne!(first.id(), second.id());
        assert!(first.id().starts_with("hearth-chart-"));
    }

    #[test]
    fn table_has_a_row_per_label_and_marks_missing_figures() {
        let labels = months(4);
        let series = [
            value("Visits", vec![Some(1234.5), None, Some(3.0), Some(4.0)]),
            target(vec![Some(80.0)]),
        ];
        let chart = LineChart {
            title: "Visits & checks",
            labels: &labels,
            series: &series,
            unit: "%",
        };
        let table = chart.table();
        assert!(table.starts_with(r#"<div class="hearth-table-scroll""#));
        assert!(table.contains(r#"<table class="govuk-table">"#));
        assert!(table.contains(
            r#"<caption class="govuk-table__caption govuk-table__caption--m">Visits &amp; checks</caption>"#
        ));
        let body = &table[table.find("<tbody").unwrap()..];
        assert_eq!(
            count(body, r#"<tr class="govuk-table__row">"#),
            labels.len()
        );
        assert!(table.contains(">Visits (%)</th>"));
        assert!(table.contains(r#"govuk-table__cell--numeric">1,234.5</td>"#));
        // One gap in the measured series and three missing target figures.
        assert_eq!(
            count(
                &table,
                r#"<span class="govuk-visually-hidden">no figure</span>"#
            ),
            4
        );
        assert_eq!(count(&table, r#"<span aria-hidden="true">–</span>"#), 4);
    }

    #[test]
    fn line_colours_have_three_to_one_contrast_with_white() {
        let styles = [LineStyle::Value, LineStyle::Target]
            .into_iter()
            .chain((0..4).map(LineStyle::Benchmark));
        for style in styles {
            assert!(contrast_ratio(style.colour(), WHITE) >= 3.0, "{style:?}");
        }
        let dashes: Vec<_> = (0..4).map(|n| LineStyle::Benchmark(n).dash()).collect();
        assert!(dashes.iter().all(|dash| *dash != LineStyle::Target.dash()));
    }

    #[test]
    fn heat_map_text_keeps_four_and_a_half_to_one_contrast_on_every_shade() {
        assert!((contrast_ratio(BLACK, BLACK) - 1.0).abs() < 1e-9);
        assert!((contrast_ratio("#000000", WHITE) - 21.0).abs() < 1e-9);
        for shade in HEAT_SHADES {
            let ratio = contrast_ratio(text_colour_on(shade), shade);
            assert!(ratio >= 4.5, "{shade}: {ratio:.2}");
        }
        // Light to dark.
        let luminances: Vec<f64> = HEAT_SHADES.iter().map(|s| relative_luminance(s)).collect();
        assert!(luminances.windows(2).all(|pair| pair[0] > pair[1]));
    }

    #[test]
    fn heat_map_shades_cells_prints_numbers_and_has_a_key() {
        let rows = vec!["North".to_string(), "South".to_string()];
        let columns = months(3);
        let values = [vec![0.0, 25.0, 50.0], vec![75.0, 100.0]];
        let heat = HeatMap {
            title: "Contacts",
            rows: &rows,
            columns: &columns,
            values: &values,
        };
        let svg = heat.svg();
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains("<desc id="));
        assert!(
            svg.contains("Figures range from 0.0 (North, Oct 2025) to 100.0 (South, Nov 2025).")
        );
        assert_eq!(count(&svg, r#"class="hearth-heatmap__cell""#), 6);
        assert_eq!(count(&svg, r#"class="hearth-heatmap__row-label""#), 2);
        assert_eq!(count(&svg, "hearth-heatmap__column-label"), 3);
        // Five shades plus one entry for the missing cell.
        assert_eq!(count(&svg, r#"class="hearth-heatmap__key-item""#), 6);
        for shade in HEAT_SHADES {
            assert!(
                svg.contains(&format!(r#"fill="{shade}" stroke="{WHITE}""#)),
                "{shade}"
            );
        }
        assert!(svg.contains(&format!(r#"fill="{WHITE}">100.0</text>"#)));
        assert!(svg.contains(&format!(r#"fill="{BLACK}">0.0</text>"#)));
        assert!(svg.contains("South, Dec 2025: no figure"));

        let table = heat.table();
        let body = &table[table.find("<tbody").unwrap()..];
        assert_eq!(count(body, r#"<tr class="govuk-table__row">"#), 2);
        assert_eq!(count(&table, "no figure"), 1);
    }

    #[test]
    fn odd_heat_maps_render_without_nan_or_infinity() {
        let rows = vec!["A".to_string(), "B".to_string()];
        let columns = months(13);
        // Row labels, column labels and figures.
        type Case = (Vec<String>, Vec<String>, Vec<Vec<f64>>);
        let cases: Vec<Case> = vec![
            (vec![], vec![], vec![]),
            (rows.clone(), columns.clone(), vec![]),
            (rows.clone(), columns.clone(), vec![vec![5.0; 13]; 2]),
            (
                rows.clone(),
                columns.clone(),
                vec![vec![-3.0, f64::NAN, f64::INFINITY, 1e300]],
            ),
            (rows.clone(), months(60), vec![vec![123_456.7; 60]; 2]),
        ];
        for (rows, columns, values) in &cases {
            let heat = HeatMap {
                title: "Odd",
                rows,
                columns,
                values,
            };
            assert_clean(&heat.svg());
            assert_clean(&heat.table());
        }
        let equal = HeatMap {
            title: "Equal",
            rows: &rows,
            columns: &columns,
            values: &[vec![5.0; 13], vec![5.0; 13]],
        };
        let svg = equal.svg();
        assert!(svg.contains("5.0 (every figure)"));
        assert!(svg.contains("Every figure shown is 5.0."));
    }

    #[test]
    fn sparkline_names_its_trend_and_marks_the_latest_point() {
        let mut points: Vec<Option<f64>> = (0..13).map(|i| Some(69.0 + i as f64)).collect();
        points[12] = Some(81.2);
        let spark = sparkline(&points, "");
        assert!(spark.starts_with(r#"<svg class="hearth-sparkline""#));
        assert!(spark.contains(r#"viewBox="0 0 80 20""#));
        assert!(spark.contains(r#"role="img""#));
        assert!(spark.contains(r#"aria-label="Trend over 13 months: from 69.0 to 81.2""#));
        assert_eq!(count(&spark, "hearth-sparkline__latest"), 1);

        let named = sparkline(&points, "Visits on time");
        assert!(named.contains(r#"aria-label="Visits on time. Trend over 13 months: from 69.0"#));

        assert!(sparkline(&[], "").contains(r#"aria-label="No figures""#));
        let gaps = sparkline(&[None, None], "Visits");
        assert!(gaps.contains(r#"aria-label="Visits: no figures""#));
        assert!(!gaps.contains("<path"));
        for odd in [
            vec![Some(4.0)],
            vec![Some(4.0); 5],
            vec![Some(f64::NAN), Some(-1.0), None, Some(f64::NEG_INFINITY)],
        ] {
            assert_clean(&sparkline(&odd, "Odd"));
        }
    }

    #[test]
    fn numbers_are_grouped_and_never_negative_zero() {
        assert_eq!(format_number(1_234_567.891, 1), "1,234,567.9");
        assert_eq!(format_number(-1234.0, 0), "-1,234");
        assert_eq!(format_number(-0.01, 1), "0.0");
        assert_eq!(format_number(999.0, 0), "999");
        assert_eq!(format_figure(45.26, "per 10,000"), "45.3 per 10,000");
    }
}
