-- Cell options: the ones known and their types, the ones accepted without effect, the defaults,
-- reading the `#|` lines, and what a cell's options ask of the engine.
local report = require("pycells_report")
local fail, cell_name = report.fail, report.cell_name

local M = {}

-- option name -> expected type; defaults follow the contract (quarto-live names)
local OPTION_TYPES = {
  label = "string", exercise = "string",
  eval = "boolean", autorun = "boolean", echo = "boolean", edit = "boolean",
  include = "boolean", output = "boolean", runbutton = "boolean",
  startover = "boolean", persist = "boolean", hint = "boolean",
  solution = "boolean", check = "boolean", setup = "boolean",
  timelimit = "number",
  -- quarto-live's options and Quarto's figure options that mean something here
  caption = "string", ["min-lines"] = "number", ["max-lines"] = "number", envir = "string", warning = "boolean",
  ["fig-width"] = "number", ["fig-height"] = "number", ["fig-dpi"] = "number",
  ["fig-cap"] = "string", ["fig-alt"] = "string",
}

-- Options of quarto-live and of Quarto's code cells that are accepted and have no effect here:
-- option -> why. Each is reported once per page at render time.
local IGNORED_OPTIONS = {
  completion = "the editors here offer no code completion",
  error = "a cell's error is always shown here, and never stops the render",
  message = "there is no separate message stream in Python",
  input = "OJS reactivity is not supported: the cell is a normal cell, run with its Run button",
  define = "OJS reactivity is not supported: the cell's variables stay in Python",
  execute = "Quarto runs no code of these cells; use 'eval' to keep a cell from running in the page",
  ["code-fold"] = "the code is shown in an editor, which does not fold",
  ["code-summary"] = "the code is shown in an editor, which does not fold",
  ["code-line-numbers"] = "the editor numbers every line",
  ["code-overflow"] = "the editor scrolls long lines",
  ["output-location"] = "the output is always shown below the cell",
  classes = "the cell's look comes from the pycells extension",
  results = "the output is shown as the code prints it",
}

local DEFAULTS = {
  eval = true, autorun = false, echo = true, edit = true, include = true,
  output = true, runbutton = true, startover = true, persist = true,
  timelimit = 0, hint = false, solution = false, check = false, setup = false, warning = true,
}


-- Parse one YAML scalar of the small subset cell options allow.
local function parse_scalar(text)
  local s = text:match("^%s*(.-)%s*$")
  local items = s:match("^%[(.*)%]$")
  if items then   -- a flow list of scalars, as quarto-live's `input: [x, y]`
    local list = pandoc.List()
    for item in items:gmatch("[^,]+") do list:insert((parse_scalar(item))) end
    return list
  end
  if s == "true" or s == "yes" then return true end
  if s == "false" or s == "no" then return false end
  local quoted = s:match('^"(.*)"$') or s:match("^'(.*)'$")
  if quoted then return quoted end
  if s:match("^[-+]?%d+%.?%d*$") or s:match("^[-+]?%d*%.%d+$") then
    return tonumber(s)
  end
  if s == "" or s:match("^[%[{&*!|>%%@`]") then return nil, "unsupported value '" .. s .. "'" end
  return s
end

local function edit_distance(a, b)
  local previous = {}
  for j = 0, #b do previous[j] = j end
  for i = 1, #a do
    local current = { [0] = i }
    for j = 1, #b do
      local substitute = previous[j - 1] + (a:sub(i, i) == b:sub(j, j) and 0 or 1)
      current[j] = math.min(previous[j] + 1, current[j - 1] + 1, substitute)
    end
    previous = current
  end
  return previous[#b]
end

-- " (did you mean 'autorun'?)" for the closest known option, when one is close.
local function suggestion(name)
  local names = {}
  for option in pairs(OPTION_TYPES) do names[#names + 1] = option end
  for option in pairs(IGNORED_OPTIONS) do names[#names + 1] = option end
  table.sort(names)
  local best, best_distance = nil, 3
  for _, known in ipairs(names) do
    local distance = edit_distance(name, known)
    if distance < best_distance then best, best_distance = known, distance end
  end
  return best and (" (did you mean '%s'?)"):format(best) or ""
end

local reported = {}   -- ignored options already reported on this page

local function report_ignored(name)
  if reported[name] then return end
  reported[name] = true
  report.note(("option '%s' is accepted and has no effect here: %s"):format(name, IGNORED_OPTIONS[name]))
end

local function check_type(where, name, value)
  if IGNORED_OPTIONS[name] then
    report_ignored(name)
    return value
  end
  local expected = OPTION_TYPES[name]
  if expected == nil then
    fail(where, ("unknown option '%s'%s"):format(name, suggestion(name)))
  end
  if expected == "string" and type(value) == "number" then value = tostring(value) end
  if type(value) ~= expected then
    fail(where, ("option '%s' must be a %s, got %s"):format(name, expected, tostring(value)))
  end
  if name == "timelimit" and value < 0 then
    fail(where, "option 'timelimit' must be >= 0")
  end
  return value
end

-- Split the leading `#|` lines off a cell; returns the options, the code and how many
-- `#|` lines there were.
local function split_options(text, index)
  local options, code_lines, in_header = {}, {}, true
  local line_no, option_lines = 0, 0
  for line in (text .. "\n"):gmatch("(.-)\r?\n") do
    line_no = line_no + 1
    local option = in_header and line:match("^#|%s?(.*)$")
    if option then
      option_lines = option_lines + 1
      if not option:match("^%s*$") then
        local key, raw = option:match("^%s*([%w_%-]+)%s*:%s*(.-)%s*$")
        local where = cell_name(index, options.label)
        if not key then
          fail(where, ("malformed option line %d: '#| %s' (expected 'name: value')"):format(line_no, option))
        end
        local value, problem = parse_scalar(raw)
        if value == nil then
          fail(where, ("option '%s': %s"):format(key, problem))
        end
        options[key] = check_type(where, key, value)
      end
    else
      in_header = false
      code_lines[#code_lines + 1] = line
    end
  end
  while #code_lines > 0 and code_lines[#code_lines] == "" do
    table.remove(code_lines)
  end
  return options, table.concat(code_lines, "\n"), option_lines
end

local function merged_options(defaults, own)
  local opts = {}
  for k, v in pairs(DEFAULTS) do opts[k] = v end
  for k, v in pairs(defaults) do opts[k] = v end
  for k, v in pairs(own) do opts[k] = v end
  return opts
end

-- What a cell's options ask of the engine when the cell runs: figure size (fig-width, fig-height, in
-- inches) and resolution (fig-dpi), the namespace (envir), whether warnings show (warning). The page
-- runtime and the course build pass it to the engine as it is.
local FIGURE_OPTIONS = { ["fig-width"] = "width", ["fig-height"] = "height", ["fig-dpi"] = "dpi" }

local function run_settings(o)
  local figure = {}
  for option, key in pairs(FIGURE_OPTIONS) do
    if o[option] then figure[key] = o[option] end
  end
  return { figure = next(figure) and figure or nil, envir = o.envir, warnings = o.warning }
end

M.OPTION_TYPES, M.IGNORED_OPTIONS = OPTION_TYPES, IGNORED_OPTIONS
M.parse_scalar, M.check_type, M.split_options = parse_scalar, check_type, split_options
M.merged_options, M.run_settings = merged_options, run_settings
return M
