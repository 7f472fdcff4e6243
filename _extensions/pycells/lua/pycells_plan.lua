-- The cell plan: each cell's role and when it runs, the exercise groups, and the cells written as
-- quarto-live hint and solution divs.
local report = require("pycells_report")
local merged_options = require("pycells_options").merged_options
local fail, cell_name = report.fail, report.cell_name

local M = {}

-- What a cell is: a code block of class `pyodide` (Quarto's ```{pyodide}, or pandoc's reading of it).
function M.is_cell(block)
  return block.classes:includes("pyodide") or block.classes:includes("{pyodide}")
end

local ROLE_OPTIONS = { "setup", "hint", "solution", "check" }

-- What each cell is, when it runs, and which cells form each exercise: decided here once and
-- written into the page config, where the page runtime, the chapter harness, the notebooks and
-- the tests read it.
--   role: "code", "exercise", "setup", "hint", "solution" or "check"
--   run:  "page-load" (hidden, run once when the engine starts, in page order),
--         "button" (an editor the reader runs), "with-exercise" (run around its exercise's code
--         each time: setup before, checks after), "never" (not run by the page)
local function role_of(cell)
  local o, found = cell.options, {}
  for _, name in ipairs(ROLE_OPTIONS) do
    if o[name] then found[#found + 1] = name end
  end
  if #found > 1 then
    fail(cell_name(cell.index, o.label), ("options '%s' exclude each other"):format(table.concat(found, "' and '")))
  end
  if #found == 1 then return found[1] end
  return o.exercise and "exercise" or "code"
end

local function run_of(cell)
  local o, role = cell.options, cell.role
  if not o.eval or role == "hint" or role == "solution" then return "never" end
  if role == "check" or (role == "setup" and o.exercise) then return "with-exercise" end
  if role == "setup" or (role == "code" and not o.include) then return "page-load" end
  return "button"
end

local function new_group()
  return { setup = pandoc.List(), hint = pandoc.List(), solution = pandoc.List(), check = pandoc.List() }
end

-- Check labels and exercise groups; return the groups: id -> {cell, setup, hint, solution, check}.
local function plan_cells(cells)
  local labels, exercises = {}, {}
  for _, cell in ipairs(cells) do
    local o, where = cell.options, cell_name(cell.index, cell.options.label)
    cell.role = role_of(cell)
    cell.run = run_of(cell)
    if o.label then
      if labels[o.label] then
        fail(where, ("label '%s' already used by cell %d"):format(o.label, labels[o.label]))
      end
      labels[o.label] = cell.index
    end
    local group = o.exercise and exercises[o.exercise]
    if cell.role == "exercise" then
      if group then
        fail(where, ("exercise '%s' already has its exercise cell (cell %d)"):format(o.exercise, group.cell))
      end
      group = new_group()
      group.cell = cell.index
      exercises[o.exercise] = group
    elseif cell.role ~= "code" and cell.role ~= "setup" then
      if not o.exercise then
        fail(where, ("option '%s' needs option 'exercise'"):format(cell.role))
      end
      if not group then
        fail(where, ("%s of exercise '%s' comes before the exercise cell (or there is none)"):format(cell.role, o.exercise))
      end
    end
  end
  for _, cell in ipairs(cells) do
    local o = cell.options
    if o.exercise and cell.role ~= "exercise" and cell.role ~= "code" then
      local group = exercises[o.exercise]
      if not group then
        fail(cell_name(cell.index, o.label), ("setup for exercise '%s', which has no exercise cell"):format(o.exercise))
      end
      group[cell.role]:insert(cell.index)
    end
  end
  return exercises
end

-- A quarto-live hint or solution written as a fenced div, `::: {.hint exercise="ex_1"}`, as a
-- cell of its exercise: a hint keeps its text; a solution's code is its first code block.
local function div_cell(div, index, defaults)
  local role = (div.classes:includes("hint") and "hint") or (div.classes:includes("solution") and "solution")
  if not role or not div.attributes.exercise then return nil end
  local code = pandoc.write(pandoc.Pandoc(div.content), "markdown")
  if role == "solution" then
    code = nil
    div:walk({ CodeBlock = function(block) code = code or block.text end })
    if not code then fail(cell_name(index), "a solution div needs a code block with the solution's code") end
  end
  return { index = index, code = code, optionLines = 0, fromDiv = true,
           options = merged_options(defaults, { exercise = div.attributes.exercise, [role] = true }) }
end

M.plan_cells, M.div_cell = plan_cells, div_cell
return M
