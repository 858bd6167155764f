/** Charts for reports, drawn on the server as SVG with ECharts' server-side renderer (no browser needed). */
import * as echarts from 'echarts';

export function svgChart(option: echarts.EChartsOption, width = 760, height = 280): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}
