//! The lists as one workbook in the shape of Ofsted's template: a sheet "List N" for each, headings
//! in the first row, dates as Excel dates; and an "About" sheet first saying when it was made, what
//! each list covers and which columns the records cannot fill.

use super::{Cell, List, uk};
use chrono::{Datelike, NaiveDate, Utc};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError};
use std::path::Path;

/// Narrowest and widest a column is made, in characters.
const MIN_WIDTH: usize = 10;
const MAX_WIDTH: usize = 45;

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    // Months and days always fit; years before 1900 or after 9999 are refused by Excel itself.
    let year = u16::try_from(d.year()).map_err(|_| XlsxError::DateTimeRangeError(uk(d)))?;
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8)
}

/// Writes every list to `path`, replacing any file there.
pub fn write_xlsx(lists: &[List], path: &Path) -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    let heading = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let date = Format::new().set_num_format("dd/mm/yyyy");

    about(workbook.add_worksheet(), lists, &heading, &date)?;
    for list in lists {
        let sheet = workbook.add_worksheet();
        sheet.set_name(list.sheet_name())?;
        let mut widths: Vec<usize> = list
            .columns
            .iter()
            // Headings wrap, so a long one need not make its column wide.
            .map(|c| c.chars().count().clamp(MIN_WIDTH, MAX_WIDTH / 2))
            .collect();
        for (col, title) in list.columns.iter().enumerate() {
            sheet.write_string_with_format(0, col as u16, *title, &heading)?;
        }
        for (r, row) in list.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (col, cell) in row.iter().enumerate() {
                let c = col as u16;
                let used = match cell {
                    Cell::Empty => 0,
                    Cell::Text(s) => {
                        sheet.write_string(r, c, s)?;
                        s.chars().count()
                    }
                    Cell::Date(d) => {
                        sheet.write_datetime_with_format(r, c, excel_date(*d)?, &date)?;
                        10
                    }
                    Cell::Number(n) => {
                        sheet.write_number(r, c, *n as f64)?;
                        n.to_string().len()
                    }
                };
                if let Some(w) = widths.get_mut(col) {
                    *w = (*w).max(used.min(MAX_WIDTH));
                }
            }
        }
        for (col, w) in widths.iter().enumerate() {
            sheet.set_column_width(col as u16, *w as f64 + 2.0)?;
        }
        sheet.set_freeze_panes(1, 0)?;
    }
    workbook.save(path)
}

fn about(
    sheet: &mut Worksheet,
    lists: &[List],
    heading: &Format,
    date: &Format,
) -> Result<(), XlsxError> {
    sheet.set_name("About")?;
    let bold = Format::new().set_bold();
    sheet.write_string_with_format(0, 0, "Ofsted Annex A: lists for inspection", &bold)?;
    sheet.write_string(1, 0, "Inspection date")?;
    if let Some(first) = lists.first() {
        sheet.write_datetime_with_format(1, 1, excel_date(first.as_of)?, date)?;
    }
    sheet.write_string(2, 0, "Made")?;
    sheet.write_string(2, 1, Utc::now().format("%d/%m/%Y %H:%M UTC").to_string())?;
    sheet.write_string(
        3,
        0,
        "Built from the case records as they stand. Restricted records are included; records \
         withdrawn as entered in error are not. Columns Hearth does not record are left empty \
         and named below.",
    )?;

    let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let top = 5;
    for (col, title) in ["Sheet", "List", "Covers", "Rows", "Columns not held"]
        .iter()
        .enumerate()
    {
        sheet.write_string_with_format(top, col as u16, *title, heading)?;
    }
    for (i, list) in lists.iter().enumerate() {
        let r = top + 1 + i as u32;
        sheet.write_string_with_format(r, 0, list.sheet_name(), &wrap)?;
        sheet.write_string_with_format(r, 1, list.title, &wrap)?;
        sheet.write_string_with_format(r, 2, &list.period, &wrap)?;
        sheet.write_number_with_format(r, 3, list.rows.len() as f64, &wrap)?;
        let missing = if list.not_held.is_empty() {
            "none".to_string()
        } else {
            list.not_held.join("; ")
        };
        sheet.write_string_with_format(r, 4, missing, &wrap)?;
    }
    for (col, width) in [12.0, 30.0, 70.0, 8.0, 60.0].into_iter().enumerate() {
        sheet.set_column_width(col as u16, width)?;
    }
    Ok(())
}
